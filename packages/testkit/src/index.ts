/**
 * @arena/testkit: everything that exists to test an app, kept out of the runtime (@arena/api).
 * Each app's test files are one-line calls into these suites.
 */
export { type AppProcess, appAt, migrateByManifest, startByManifest } from "./app-process.js";
export {
  type AppUnderTest,
  COUNTING_TIMEOUTS,
  inProcessApp,
  manifestApp,
  type ServeSettings,
} from "./app-under-test.js";
export { defineContractSuiteByUrl, defineReliabilitySuiteByUrl, defineUpgradeSuiteByUrl } from "./by-url.js";
export { conduitUnderTest } from "./conduit.js";
export { defineAppContractSuite } from "./contract.js";
export { defineReliabilitySuite } from "./reliability/index.js";
export { pgStatStatementsCounter, statementServerUrl, stopStatementServer } from "./statement-accounting.js";
export { defineTypeProbeSuite } from "./type-probes-suite.js";
export { defineUpgradeSuite } from "./upgrade-suite.js";
