export {
  type Cause,
  type CellCause,
  firstSentence,
  isListOrFeed,
  MUST_DECLARE,
  measuredCauses,
  measuredLine,
  SLOW_CELL,
  slowCellCauses,
} from "./cell-causes.js";
export { type CpuPlan, pinProcessTree, planCpus } from "./cpu-pinning.js";
export { type Dataset, DEFAULT_SIZE, generateDataset, sizeAt } from "./dataset.js";
export {
  formatRatio,
  geometricMean,
  halfWidth,
  type Interval,
  overlaps,
  ratioInterval,
  type ScenarioRatio,
  tQuantile975,
} from "./intervals.js";
export { failed, type LoadResult, measureThroughput, runLoad, type WindowResult } from "./load.js";
export { baselineDrift, type Drift, type Indistinguishable, notDistinguishable } from "./noise.js";
export {
  type OpenLoopOptions,
  type OpenLoopResult,
  openLoopSeconds,
  percentileInterval,
  percentiles,
  runOpenLoop,
} from "./open-loop.js";
export { Random } from "./random.js";
export {
  type AppChange,
  compareRuns,
  comparisonReport,
  type RatioChange,
  type RunComparison,
  readRun,
  runLabel,
  withRatioToBaseline,
} from "./repeatability.js";
export {
  appGeometricMeans,
  charts,
  distinguishableSection,
  driftSection,
  latencyCell,
  markdownReport,
  ratioLabels,
} from "./report.js";
export {
  COMMITTED_SCALES,
  committedRequestListsText,
  loadRequestLists,
  serialiseRequestLists,
  writeCommittedRequestLists,
} from "./request-lists.js";
export { portableResults, withCurrentFields } from "./results-file.js";
export { type BatchDecision, nextBatch, scenarioDeadline, shuffled, type ThoroughPlan } from "./rounds.js";
export {
  type BenchApp,
  type BenchResults,
  type BenchSettings,
  type CellResult,
  type FixedRateLatency,
  NODE_BASELINE_LANGUAGE,
  nominalSeconds,
  type Progress,
  ratioToBaseline,
  runBench,
  scenarioGroups,
  withRecomputedRatios,
} from "./runner.js";
export { type BenchRequest, buildRequestLists, SCENARIOS, type Scenario } from "./scenarios.js";
export { seedDatabase } from "./seed.js";
export { median, spread } from "./stats.js";
export { BENCH_JWT_SECRET, benchToken } from "./tokens.js";
