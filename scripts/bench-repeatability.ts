/**
 * Compares two load comparison runs: how far each app's throughput ratio to its language's baseline
 * moved between them, against each run's 95% intervals: a cell whose ratio in each run lies outside
 * the other's interval is flagged as changed, the rest is noise. Per app: the geometric mean of each
 * run's ratios, its change, and the share of cells that changed by less than their combined interval.
 *
 *   npm run bench-repeatability -- results/<first> results/<second> [--tolerance 0.1]
 *
 * Each argument is a run folder (holding results.json) or a results.json. Prints Markdown; exits 0
 * whatever the outcome (it reports, it does not judge), 2 on bad arguments.
 */
import { parseArgs } from "node:util";
import { compareRuns, comparisonReport, readRun, runLabel } from "@arena/bench";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { tolerance: { type: "string" } },
});
if (positionals.length !== 2) {
  console.error("usage: npm run bench-repeatability -- <first run> <second run> [--tolerance 0.1]");
  process.exit(2);
}
const tolerance = values.tolerance === undefined ? 0.1 : Number(values.tolerance);
if (!(tolerance > 0)) {
  console.error(`--tolerance must be a positive fraction, got "${values.tolerance}"`);
  process.exit(2);
}

const [first, second] = await Promise.all(positionals.map(readRun));
if (!first || !second) throw new Error("two runs are needed");
console.log(comparisonReport(compareRuns(first, second, tolerance), runLabel(first), runLabel(second)));
