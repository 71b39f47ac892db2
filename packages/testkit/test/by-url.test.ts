import { findBaseline } from "@arena/manifest";
import { afterAll } from "vitest";
import { defineContractSuiteByUrl, defineUpgradeSuiteByUrl } from "../src/by-url.js";
import { stopStatementServer } from "../src/statement-accounting.js";

// The suites' by-URL path, proven on one app (the baseline, the quickest to start): started from
// its manifest's commands as its own process, reached over HTTP and SQL only. Every other app runs
// the same suites in-process in its own tests; an app in another language runs them this way.
// The reliability suite is in its own file, so that the two run side by side.
const baseline = await findBaseline();
defineContractSuiteByUrl(baseline);
defineUpgradeSuiteByUrl(baseline);
afterAll(stopStatementServer);
