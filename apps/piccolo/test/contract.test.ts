import { appAt, defineContractSuiteByUrl, stopStatementServer } from "@arena/testkit";
import { afterAll } from "vitest";

// The whole contract suite against this app as its own process, started from arena.json's commands.
defineContractSuiteByUrl(await appAt(new URL("..", import.meta.url)));
afterAll(stopStatementServer);
