import { findBaseline } from "@arena/manifest";
import { defineContractSuiteByUrl, defineDifferentialSuiteByUrl } from "../src/by-url.js";

// The suites' by-URL path, proven on one app (the baseline, the quickest to start): started from
// its manifest's commands as its own process, reached over HTTP only. Every other app runs the same
// suites in-process in its own tests; an app in another language would run them this way.
const baseline = await findBaseline();
defineContractSuiteByUrl(baseline);
defineDifferentialSuiteByUrl(baseline);
