/**
 * @arena/testkit: everything that exists to test an app, kept out of the runtime (@arena/api).
 * Each app's test files are one-line calls into these suites.
 */
export { defineAppContractSuite } from "./contract.js";
export { defineReliabilitySuite } from "./reliability/index.js";
export { defineTypeProbeSuite } from "./type-probes-suite.js";
export { defineUpgradeSuite } from "./upgrade-suite.js";
