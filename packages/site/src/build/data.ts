/**
 * Everything the site shows, read from what the repository holds (nothing is measured here): the
 * manifests, each app's source, docs/benchmarks/latest/results.json, docs/sql.json, the migration
 * report and the git history behind it, docs/comparison.md's matrix, docs/reliability.md's
 * figures, the pitfalls and the type probes. The page imports the result; it fetches nothing.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type BenchResults,
  type CellResult,
  measuredLine,
  SCENARIOS,
  slowCellCauses,
  withCurrentFields,
  withRatioToBaseline,
} from "@arena/bench";
import { formatStatement, type SqlReport } from "@arena/database/sql-report";
import { type DiscoveredApp, discoverApps, filesOf, pathOf, readPitfalls, repoRoot } from "@arena/manifest";
import { expectedProbeOutcomes, TYPE_PROBES } from "@arena/testkit/type-probes";
import { createTwoFilesPatch } from "diff";
import { marked } from "marked";
import { extractMethods, snakeCase } from "./extract.js";
import { ms } from "./format.js";
import { css, highlight, languageOf } from "./highlight.js";
import { readPort, SCENARIO_ENDPOINTS, type UseCase } from "./port.js";
import type {
  AppDetail,
  BenchCell,
  Highlighted,
  MatrixRow,
  MigrationEntry,
  SiteApp,
  SiteData,
  SqlEndpoint,
} from "./types.js";

const readText = (path: string) => readFileSync(join(repoRoot, path), "utf8");
const readJson = <T>(path: string): T | null =>
  existsSync(join(repoRoot, path)) ? (JSON.parse(readText(path)) as T) : null;
const git = (...args: string[]) => execFileSync("git", args, { cwd: repoRoot, encoding: "utf8", stdio: "pipe" });

/** A Markdown table's rows (header first), cells trimmed; `|` inside backticks is not expected. */
export function markdownTableRows(markdown: string): string[][] {
  return markdown
    .split("\n")
    .filter((line) => line.trim().startsWith("|") && !/^\|[\s:|-]+\|$/.test(line.trim()))
    .map((line) =>
      line
        .trim()
        .replace(/^\||\|$/g, "")
        .split("|")
        .map((cell) => cell.trim()),
    );
}

/** The text between a heading (or marker) and the next heading of that level. */
function section(markdown: string, start: string, end = "\n## "): string {
  const from = markdown.indexOf(start);
  if (from < 0) return "";
  const to = markdown.indexOf(end, from + start.length);
  return markdown.slice(from + start.length, to < 0 ? undefined : to);
}

/** The first number in a cell ("1,234 ms" → 1234), for sorting. */
export function numberIn(text: string): number | null {
  const match = /-?\d[\d,]*(\.\d+)?/.exec(text);
  return match ? Number(match[0].replace(/,/g, "")) : null;
}

function highlightFile(app: DiscoveredApp, file: string): Highlighted {
  const source = readFileSync(join(app.dir, file), "utf8");
  return { path: pathOf(app, file), html: highlight(source.trimEnd(), languageOf(file)) };
}

/**
 * The cells of a results.json of any age: intervals are absent in runs written before they were
 * recorded, and the fixed rate was `rate` before it was `targetRate`.
 */
export function benchCellsOf(raw: BenchResults): { run: BenchResults; cells: BenchCell[] } {
  const run = withCurrentFields(withRatioToBaseline(raw));
  const cells = run.cells.map((cell: CellResult): BenchCell => {
    const latency = cell.latency;
    return {
      app: cell.app,
      scenario: cell.scenario,
      medianRps: cell.medianRps,
      baseline: cell.baseline,
      ratio: cell.ratioToBaseline,
      interval: cell.app === cell.baseline ? null : (cell.ratioInterval ?? null),
      nodeRatio: cell.ratioToNodeBaseline ?? null,
      nodeInterval: cell.ratioToNodeBaselineInterval ?? null,
      statementsPerRequest: cell.databaseWork?.statements ?? cell.statementsPerRequest ?? null,
      buffersPerRequest: cell.databaseWork ? cell.databaseWork.sharedBlksHit + cell.databaseWork.sharedBlksRead : null,
      rowsPerRequest: cell.databaseWork?.rows ?? null,
      dbMsPerRequest: cell.databaseWork?.execMs ?? null,
      cpuMsPerRequest: cell.cpuMsPerRequest ?? null,
      latency: latency
        ? {
            p50: latency.p50,
            p90: latency.p90,
            p99: latency.p99,
            targetRate: latency.targetRate ?? latency.rate ?? null,
            achievedRate: latency.achievedRate ?? null,
            samples: latency.samples ?? null,
            intervals: {
              p50: latency.intervals?.p50 ?? null,
              p90: latency.intervals?.p90 ?? null,
              p99: latency.intervals?.p99 ?? null,
            },
          }
        : null,
      cause: null,
    };
  });
  return { run, cells };
}

const fixed = (value: number, digits = 2) => value.toFixed(digits);
const intervalText = (interval: [number, number] | null | undefined) =>
  interval ? ` [${fixed(interval[0])}–${fixed(interval[1])}]` : "";

/** docs/comparison.md's matrix, with the load comparison's rows rebuilt from results.json (intervals, causes). */
function matrix(names: string[], cells: BenchCell[], scenarios: string[]): MatrixRow[] {
  return [...comparisonRows(), ...benchRows(names, cells, scenarios)];
}

/** The rows of docs/comparison.md's matrix that are not the load comparison's. */
function comparisonRows(): MatrixRow[] {
  const table = markdownTableRows(section(readText("docs/comparison.md"), "## The matrix"));
  const [header, ...body] = table;
  const columns = (header ?? []).slice(1);
  const rows: MatrixRow[] = [];
  for (const [label = "", ...values] of body) {
    if (label.startsWith("Throughput ratio") || label.startsWith("Latency at a fixed rate")) continue;
    const row: MatrixRow = { label, source: "docs/comparison.md", cells: {} };
    columns.forEach((app, index) => {
      const text = (values[index] ?? "").replace(/\\\|/g, "|");
      row.cells[app] = { text, value: numberIn(text), low: null, high: null, cause: null };
    });
    rows.push(row);
  }
  return rows;
}

/** The load comparison's rows: the ratio per scenario and the fixed-rate latency, each with its interval. */
export function benchRows(names: string[], cells: BenchCell[], scenarios: string[]): MatrixRow[] {
  const rows: MatrixRow[] = [];
  const cellOf = (app: string, scenario: string) => cells.find((c) => c.app === app && c.scenario === scenario);
  for (const scenario of scenarios) {
    const row: MatrixRow = {
      label: `Throughput ratio to the baseline: ${scenario}`,
      source: "docs/benchmarks/latest/results.json",
      unit: "× baseline",
      cells: {},
    };
    for (const app of names) {
      const cell = cellOf(app, scenario);
      if (!cell || cell.ratio === null) continue;
      row.cells[app] = {
        text: `${fixed(cell.ratio)}${intervalText(cell.interval)} (${Math.round(cell.medianRps)} req/s)`,
        value: cell.ratio,
        low: cell.interval?.[0] ?? null,
        high: cell.interval?.[1] ?? null,
        cause: cell.cause,
      };
    }
    rows.push(row);
  }
  for (const percentile of ["p50", "p90", "p99"] as const) {
    const row: MatrixRow = {
      label: `Latency at a fixed rate, mixed: ${percentile}`,
      source: "docs/benchmarks/latest/results.json",
      unit: "ms",
      cells: {},
    };
    for (const app of names) {
      const latency = cellOf(app, "mixed")?.latency;
      if (!latency) continue;
      const interval = latency.intervals[percentile];
      row.cells[app] = {
        text: `${ms(latency[percentile])} ms${interval ? ` [${ms(interval[0])}–${ms(interval[1])}]` : ""}${latency.targetRate ? ` at ${latency.targetRate} req/s` : ""}`,
        value: latency[percentile],
        low: interval?.[0] ?? null,
        high: interval?.[1] ?? null,
        cause: null,
      };
    }
    rows.push(row);
  }
  return rows;
}

/** docs/reliability.md's table of figures: per app, column title → value. */
function reliability(): Record<string, Record<string, string>> {
  const text = section(readText("docs/reliability.md"), "<!-- reliability-figures:start -->", "<!--");
  const [header, ...rows] = markdownTableRows(text);
  const titles = (header ?? []).slice(1);
  return Object.fromEntries(
    rows.map(([app = "", ...values]) => [app, Object.fromEntries(titles.map((title, i) => [title, values[i] ?? ""]))]),
  );
}

/** A README as HTML, without images (their paths are the repository's, not the site's). */
function readmeHtml(app: DiscoveredApp): string {
  const file = join(app.dir, "README.md");
  if (!existsSync(file)) return "";
  const html = marked.parse(readFileSync(file, "utf8"), { async: false }) as string;
  // Its headings sit below the page's own (h1 → h3).
  return html
    .replace(/<img[^>]*>/g, "")
    .replace(/<a href="(?!https?:|#)[^"]*"/g, "<a")
    .replace(
      /<(\/?)h([1-6])/g,
      (_match, close: string, level: string) => `<${close}h${Math.min(Number(level) + 2, 6)}`,
    );
}

/** The v2 migration of an app: each file as the tool wrote it and the hand fix as a diff. */
function migrationFiles(app: DiscoveredApp, generatedCommit: string | null): MigrationEntry["files"] {
  return filesOf(app, "migration").map((file) => {
    const path = pathOf(app, file);
    const current = readFileSync(join(app.dir, file), "utf8");
    let generated: string | null = null;
    if (generatedCommit) {
      try {
        generated = git("show", `${generatedCommit}:${path}`);
      } catch {
        // Added after the tool's commit (a file written by hand), or a history this clone lacks.
      }
    }
    const patch =
      generated === null
        ? null
        : createTwoFilesPatch(`${path} (generated)`, `${path} (committed)`, generated, current, "", "", {
            context: 3,
          });
    const changed = patch !== null && generated !== current;
    return {
      path,
      current: highlight(current.trimEnd(), languageOf(file)),
      generated: generated === null ? null : highlight(generated.trimEnd(), languageOf(file)),
      // The patch without its "====" rule: from its "---" line on.
      diff: changed && patch ? highlight(patch.slice(patch.indexOf("---")).trimEnd(), "diff") : null,
    };
  });
}

/**
 * Where the mapping of port.ts lags behind the repository: a port method without endpoints, an
 * endpoint docs/sql.json does not record, a bench scenario without endpoints.
 */
export function mappingProblems(useCases: UseCase[], sqlReport: SqlReport | null): string[] {
  const problems: string[] = [];
  const known = new Set(sqlReport?.apps.flatMap((app) => app.endpoints.map((each) => each.endpoint)) ?? []);
  for (const useCase of useCases) {
    if (useCase.endpoints.length === 0)
      problems.push(`the port method ${useCase.id} has no endpoints in packages/site/src/build/port.ts`);
    for (const endpoint of useCase.endpoints)
      if (sqlReport && !known.has(endpoint)) problems.push(`${useCase.id}: docs/sql.json has no endpoint ${endpoint}`);
  }
  for (const scenario of SCENARIOS)
    if (!SCENARIO_ENDPOINTS[scenario.name])
      problems.push(`the bench scenario ${scenario.name} has no endpoints in packages/site/src/build/port.ts`);
  return problems;
}

/** The site's data: what every page needs, and per app what only its pages need (`detailFile` names it). */
export async function collectSiteData(): Promise<{ data: SiteData; details: Map<string, AppDetail> }> {
  const discovered = await discoverApps();
  // Baselines first within each language, then by name: the order of the reports.
  discovered.sort(
    (a, b) =>
      a.manifest.language.localeCompare(b.manifest.language) ||
      Number(b.manifest.baseline) - Number(a.manifest.baseline) ||
      a.manifest.name.localeCompare(b.manifest.name),
  );
  const names = discovered.map((app) => app.manifest.name);
  const useCases: UseCase[] = readPort();
  const sqlReport = readJson<SqlReport>("docs/sql.json");
  // What the site cannot place is said, not fatal: the page still builds (test/data.test.ts fails on it).
  for (const problem of mappingProblems(useCases, sqlReport)) console.warn(`site: ${problem}`);

  const results = readJson<BenchResults>("docs/benchmarks/latest/results.json");
  const { run, cells } = results ? benchCellsOf(results) : { run: null, cells: [] };
  const manifests = discovered.map((app) => app.manifest);
  // The same rule as docs/comparison.md's table of slow cells (packages/bench/src/cell-causes.ts).
  for (const cause of slowCellCauses(run?.cells ?? [], manifests)) {
    const cell = cells.find((c) => c.app === cause.app && c.scenario === cause.scenario);
    if (cell)
      cell.cause = {
        measured: measuredLine(cause),
        declared: cause.declared.map((gap) => ({ cause: gap.cause, why: gap.why })),
      };
  }
  const scenarioNames = SCENARIOS.map((scenario) => scenario.name).filter((name) =>
    cells.some((cell) => cell.scenario === name),
  );

  const migrationReport = readJson<{ generatedAt: string; rows: Omit<MigrationEntry, "files">[] }>(
    "docs/migrations.json",
  );
  const figures = reliability();
  const apps: SiteApp[] = [];
  const details = new Map<string, AppDetail>();
  for (const app of discovered) {
    const { manifest } = app;
    const language = manifest.language === "python" ? "python" : "typescript";
    const storeFiles = filesOf(app, "store");
    const sources = storeFiles.map((file) => ({
      file: pathOf(app, file),
      source: readFileSync(join(app.dir, file), "utf8"),
    }));
    const portNames = useCases.map((useCase) => (language === "python" ? snakeCase(useCase.id) : useCase.id));
    const methods = extractMethods(sources, language, portNames);
    const lang = language === "python" ? "python" : "typescript";
    const appCode: AppDetail["code"] = {};
    const appHelpers: AppDetail["helpers"] = {};
    for (const useCase of useCases) {
      const found = methods.get(language === "python" ? snakeCase(useCase.id) : useCase.id);
      if (!found) {
        appCode[useCase.id] = null;
        continue;
      }
      for (const helper of found.helpers) {
        const key = `${helper.file}:${helper.line}`;
        appHelpers[key] ??= {
          name: helper.name,
          file: helper.file,
          line: helper.line,
          html: highlight(helper.code, lang),
        };
      }
      appCode[useCase.id] = {
        file: found.method.file,
        line: found.method.line,
        html: highlight(found.method.code, lang),
        helpers: found.helpers.map((helper) => `${helper.file}:${helper.line}`),
      };
    }
    const measured = sqlReport?.apps.find((each) => each.name === manifest.name);
    const sql: AppDetail["sql"] = Object.fromEntries(
      (measured?.endpoints ?? []).map((endpoint): [string, SqlEndpoint] => [
        endpoint.endpoint,
        {
          status: endpoint.status,
          statements: endpoint.total.statements,
          rows: endpoint.total.rows,
          buffers: endpoint.total.sharedBlksHit + endpoint.total.sharedBlksRead,
          execMs: endpoint.total.execMs,
          queries: endpoint.statements.map((statement) => ({
            calls: statement.calls,
            rows: statement.rows,
            buffers: statement.sharedBlksHit + statement.sharedBlksRead,
            execMs: statement.execMs,
            html: highlight(formatStatement(statement.query), "sql"),
          })),
        },
      ]),
    );
    const migration = migrationReport?.rows.find((row) => row.app === manifest.name);
    const pitfalls = await readPitfalls(app.dir, manifest.name);
    details.set(manifest.name, {
      readme: readmeHtml(app),
      schema: filesOf(app, "schema").map((file) => highlightFile(app, file)),
      code: appCode,
      helpers: appHelpers,
      sql,
    });
    apps.push({
      name: manifest.name,
      title: manifest.title,
      orm: manifest.orm,
      version: manifest.version,
      pattern: manifest.pattern,
      language: manifest.language,
      baseline: manifest.baseline,
      storeFiles: storeFiles.map((file) => pathOf(app, file)),
      adminInterface: manifest.adminInterface,
      declaredGaps: (manifest.declaredGaps ?? []).map((gap) => ({
        endpoint: gap.endpoint,
        scenarios: gap.scenarios,
        cause: gap.cause,
        why: gap.why,
      })),
      detailFile: "",
      pitfalls: pitfalls.map((pitfall) => ({
        title: pitfall.title,
        endpoint: pitfall.endpoint,
        naive: pitfall.naive,
        tuned: pitfall.tuned,
        sqlShape: pitfall.sqlShape ?? null,
        before: pitfall.before,
        after: pitfall.after,
        baseline: pitfall.baseline ?? null,
      })),
      probes: await expectedProbeOutcomes(new URL(`file://${join(app.dir, "probes")}/`)).catch(() => ({})),
      reliability: figures[manifest.name] ?? null,
      migration: migration ? { ...migration, files: migrationFiles(app, migration.generatedCommit) } : null,
      sqlMeasured: measured ? `${measured.measuredAt} at ${measured.commit} on ${measured.server}` : null,
    });
  }

  const data: SiteData = {
    generatedAt: new Date().toISOString(),
    commit: git("rev-parse", "--short", "HEAD").trim(),
    apps,
    useCases: useCases.map((useCase) => ({
      ...useCase,
      scenarios: scenarioNames.filter((name) =>
        (SCENARIO_ENDPOINTS[name] ?? []).some((endpoint) => useCase.endpoints.includes(endpoint)),
      ),
    })),
    scenarios: SCENARIOS.filter((scenario) => scenarioNames.includes(scenario.name)).map((scenario) => ({
      name: scenario.name,
      description: scenario.description,
      kind: scenario.kind,
    })),
    bench: run
      ? {
          command: (run as BenchResults & { command?: string }).command ?? "npm run bench",
          startedAt: run.startedAt,
          environment: JSON.stringify(run.environment ?? {}),
          cells,
        }
      : null,
    matrix: matrix(names, cells, scenarioNames),
    probeTitles: TYPE_PROBES,
    migrationsGeneratedAt: migrationReport?.generatedAt ?? null,
    sqlCommand: sqlReport?.command ?? null,
    css: css(),
  };
  return { data, details };
}
