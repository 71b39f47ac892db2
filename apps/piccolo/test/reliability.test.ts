import { appAt, defineReliabilitySuiteByUrl, stopStatementServer } from "@arena/testkit";
import { afterAll } from "vitest";

// Differential transcript, hostile input, tokens, limits, outage and SIGTERM, by URL.
defineReliabilitySuiteByUrl(await appAt(new URL("..", import.meta.url)));
afterAll(stopStatementServer);
