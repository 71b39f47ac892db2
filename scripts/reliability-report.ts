/**
 * Collects the figures each app's reliability suite wrote on its last run on this machine
 * (`npm test`, or `npx vitest run test/reliability.test.ts` in an app) into docs/reliability.md.
 *
 *   npm run reliability-report            # table on stdout
 *   npm run reliability-report -- --write # also docs/reliability.md
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { figuresDir } from "@arena/testkit/reliability-figures";
import { discoverApps, repoRoot } from "./lib/apps.js";
import { formatWithBiome } from "./lib/format.js";
import { markdownTable } from "./lib/markdown.js";

const COLUMNS: [string, string][] = [
  ["differentialRequests", "Differential requests (all equal to pg)"],
  ["hostileRequests", "Hostile requests (fast-check)"],
  ["authRequests", "Requests with bad tokens or by non-owners"],
  ["responsesScannedForSecrets", "Responses scanned for password hashes"],
  ["statementTimeouts", "Statement timeouts forced"],
  ["outageFaultsInjected", "Database shutdowns"],
  ["outageRequests", "Writes sent around the outage"],
  ["outage503s", "503s while down"],
  ["outageSlowestMs", "Slowest answer while down (ms)"],
  ["outageWritesAcknowledgedAndFound", "Acknowledged writes, all found after"],
  ["outageRecoveryMs", "Recovery after restart (ms)"],
  ["shutdownExitMs", "SIGTERM → exit 0 (ms)"],
];

const rows: string[][] = [];
let newest = "";
/** The Node versions the suites ran on (each app's last run records its own). */
const nodes = new Set<string>();
for (const app of await discoverApps()) {
  const file = join(figuresDir, `${app.manifest.name}.json`);
  if (!existsSync(file)) {
    rows.push([app.manifest.name, ...COLUMNS.map(() => "not run")]);
    continue;
  }
  const figures = JSON.parse(readFileSync(file, "utf8")) as Record<string, number | string>;
  if (String(figures.at) > newest) newest = String(figures.at);
  nodes.add(typeof figures.node === "string" ? figures.node : "an unrecorded Node");
  rows.push([app.manifest.name, ...COLUMNS.map(([key]) => String(figures[key] ?? "–"))]);
}
const table = markdownTable(["App", ...COLUMNS.map(([, title]) => title)], rows);
const runtime = `Node ${[...nodes].sort().join(", ") || "–"}`;
console.log(`${table}\n\nSuites ran on ${runtime}.`);

if (process.argv.includes("--write")) {
  const doc = join(repoRoot, "docs", "reliability.md");
  const text = readFileSync(doc, "utf8");
  const [start, end] = ["<!-- reliability-figures:start -->", "<!-- reliability-figures:end -->"];
  const stamp = `Last run: ${newest.slice(0, 16).replace("T", " ")} UTC on ${runtime}, collected by \`npm run reliability-report -- --write\`.`;
  writeFileSync(
    doc,
    `${text.slice(0, text.indexOf(start) + start.length)}\n\n${stamp}\n\n${table}\n\n${text.slice(text.indexOf(end))}`,
  );
  formatWithBiome([doc]);
}
process.exit(0);
