import { appAt, defineUpgradeSuiteByUrl, stopStatementServer } from "@arena/testkit";
import { afterAll } from "vitest";

// migrate --to v1, data, migrate, the contract suite on the upgraded database, --rollback --to v1.
defineUpgradeSuiteByUrl(await appAt(new URL("..", import.meta.url)));
afterAll(stopStatementServer);
