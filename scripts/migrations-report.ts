/**
 * The migration report (issue #9): one row per app, from its manifest (`arena.json` migrations.v2),
 * the git history of its v2 migration (what the tool wrote vs what a person changed), and a
 * measurement: the time its own `migrate` takes to bring an empty database to v2.
 *
 *   npm run migrations-report            # table on stdout
 *   npm run migrations-report -- --write # also docs/migrations.md and docs/migrations.json
 */
import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { median } from "@arena/bench";
import { createFreshDatabase } from "@arena/database";
import { hasDownMigrations, type MigrationRow } from "@arena/manifest";
import { type DiscoveredApp, discoverApps, loadAppModule, loadMigrate, repoRoot } from "./lib/apps.js";
import { formatWithBiome } from "./lib/format.js";
import { markdownTable } from "./lib/markdown.js";

const write = process.argv.includes("--write");
const ROUNDS = 3;

const git = (...args: string[]) => execFileSync("git", args, { cwd: repoRoot, encoding: "utf8" }).trim();

/** Migration code only: not the tool's snapshots and journals, nor lists of migrations or generated types. */
function isMigrationCode(file: string): boolean {
  return !file.endsWith(".json") && !file.endsWith("/index.ts") && !file.endsWith(".generated.ts");
}

function countLines(text: string): number {
  return text.split("\n").filter((line) => line.trim().length > 0).length;
}

/**
 * What the tool wrote and what a person changed: the commit that first added the earliest of the
 * v2 files is the tool's output; every later change, and a file first added after it (a migration
 * written by hand beside the generated one), is by hand.
 */
function historyOf(files: string[], origin: MigrationRow["origin"]) {
  let linesGenerated = 0;
  let linesByHand = 0;
  let generatedCommit: string | null = null;
  let fixCommit: string | null = null;
  const histories = files
    .filter(isMigrationCode)
    .map((file) => ({ file, commits: git("log", "--format=%h", "--follow", "--", file).split("\n").filter(Boolean) }))
    .filter((history) => history.commits.length > 0);
  if (origin !== "hand-written") {
    const firsts = histories.map((history) => history.commits.at(-1) as string);
    generatedCommit = firsts.find((commit) => firsts.every((other) => isAncestor(commit, other))) ?? null;
  }
  for (const { file, commits } of histories) {
    const first = commits.at(-1) as string;
    if (first !== generatedCommit) {
      linesByHand += countLines(git("show", `HEAD:${file}`));
      fixCommit = origin === "hand-written" ? first : (commits[0] ?? null);
      continue;
    }
    linesGenerated += countLines(git("show", `${first}:${file}`));
    const numstat = git("diff", "--numstat", first, "HEAD", "--", file);
    for (const line of numstat.split("\n").filter(Boolean)) {
      const [added, removed] = line.split("\t");
      linesByHand += Number(added) + Number(removed);
    }
    if (commits.length > 1) fixCommit = commits[0] ?? null;
  }
  return { linesGenerated, linesByHand, generatedCommit, fixCommit };
}

function isAncestor(commit: string, of: string): boolean {
  try {
    execFileSync("git", ["merge-base", "--is-ancestor", commit, of], { cwd: repoRoot });
    return true;
  } catch {
    return false;
  }
}

async function timeMigrate(app: DiscoveredApp): Promise<number> {
  const migrate = app.manifest.language === "typescript" ? (await loadAppModule(app)).migrate : await loadMigrate(app);
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const database = await createFreshDatabase({ prefix: `${app.manifest.name}_migtime` });
    try {
      const started = performance.now();
      await migrate(database.url);
      times.push(performance.now() - started);
    } finally {
      await database.drop();
    }
  }
  return Math.round(median(times));
}

const rows: MigrationRow[] = [];
for (const app of await discoverApps()) {
  const { manifest } = app;
  const v2 = manifest.migrations.v2;
  // A TypeScript app's upgrade suite rolls back when its module has a rollback; any other
  // language's when its migrate command takes --rollback.
  const downTested =
    manifest.language === "typescript"
      ? (await loadAppModule(app)).rollback !== undefined
      : hasDownMigrations(manifest);
  rows.push({
    app: manifest.name,
    tool: manifest.migrations.tool,
    toolVersion: manifest.migrations.toolVersion,
    command: v2.generateCommand,
    origin: v2.origin,
    renameDetected: v2.renameDetected,
    expressionIndexInSchema: v2.expressionIndexInSchema,
    downMigrations: v2.downMigrations,
    downTested,
    ...historyOf(v2.files, v2.origin),
    migrateEmptyToV2Ms: await timeMigrate(app),
    notes: v2.notes,
    watchFor: v2.watchFor,
  });
  console.error(`measured ${manifest.name}`);
}

const yesNo = (value: boolean | null, none = "n/a (nothing generates)") =>
  value === null ? none : value ? "yes" : "no";
const table = markdownTable(
  [
    "App",
    "Tool",
    "v2 migration",
    "Rename detected",
    "`lower(email)` index in the ORM schema",
    "Down migrations",
    "Lines the tool wrote",
    "Lines changed by hand",
    "Empty → v2 (median of 3)",
  ],
  rows.map((row) => [
    row.app,
    `${row.tool} ${row.toolVersion}`,
    row.command ? `${row.origin}: \`${row.command}\`` : row.origin,
    yesNo(row.renameDetected),
    row.expressionIndexInSchema ? "yes" : "no: raw SQL in the migration",
    row.downTested ? `${row.downMigrations} (v2 → v1 → v2 in npm test)` : row.downMigrations,
    String(row.linesGenerated),
    String(row.linesByHand),
    `${row.migrateEmptyToV2Ms} ms`,
  ]),
);
const timing = `Migration times measured on Node ${process.version}: a TypeScript app's migrate in process, any other language's migrate command as its own process (interpreter start and imports included).`;
console.log(`${table}\n\n${timing}`);

if (write) {
  const doc = join(repoRoot, "docs", "migrations.md");
  const text = await readFile(doc, "utf8");
  const start = "<!-- migrations-report:start -->";
  const end = "<!-- migrations-report:end -->";
  const details = rows
    .map(
      (row) =>
        `### ${row.app}\n\n${row.notes}\n\n**Watch for:** ${row.watchFor}\n\nCommits: ${
          row.generatedCommit ? `tool output \`${row.generatedCommit}\`, ` : ""
        }${row.fixCommit ? `by hand \`${row.fixCommit}\`` : "none"}.`,
    )
    .join("\n\n");
  const stamp = `Generated ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on Node ${process.versions.node} by \`npm run migrations-report -- --write\`.`;
  const before = text.slice(0, text.indexOf(start) + start.length);
  const after = text.slice(text.indexOf(end));
  await writeFile(doc, `${before}\n\n${stamp}\n\n${table}\n\n${timing}\n\n${details}\n\n${after}`);
  await writeFile(
    join(repoRoot, "docs", "migrations.json"),
    `${JSON.stringify({ generatedAt: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`,
  );
  formatWithBiome([doc, join(repoRoot, "docs", "migrations.json")]);
  console.error("wrote docs/migrations.md and docs/migrations.json");
}
process.exit(0);
