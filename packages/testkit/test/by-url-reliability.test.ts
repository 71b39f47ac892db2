import { findBaseline } from "@arena/manifest";
import { afterAll } from "vitest";
import { defineReliabilitySuiteByUrl } from "../src/by-url.js";
import { stopStatementServer } from "../src/statement-accounting.js";

// Every reliability part by URL against the baseline started from its manifest (see by-url.test.ts).
defineReliabilitySuiteByUrl(await findBaseline());
afterAll(stopStatementServer);
