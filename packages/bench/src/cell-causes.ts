import type { AppManifest, DeclaredGap } from "@arena/manifest";
import type { CellResult } from "./runner.js";

/**
 * Issue #19's rule for the published comparison: every cell below 0.8 of its language's baseline
 * says why, in one line, as one of three causes (the ORM's CPU per request, statements the ORM
 * requires, a SQL shape its API cannot express). The line joins what the app's manifest declares
 * for that scenario with what the run itself measured beside the baseline's cell: app CPU,
 * statements and shared buffers per request, which do not depend on how noisy the machine was.
 */
export const SLOW_CELL = 0.8;

/** Below this, a list or feed cell must be explained by a declared gap (#19's "done when"). */
export const MUST_DECLARE = 0.5;

export type Cause = DeclaredGap["cause"];

export interface CellCause {
  app: string;
  scenario: string;
  ratio: number;
  /** The causes the measurements point at, strongest first; empty when none stands out. */
  measured: Cause[];
  /** The figures behind `measured`, e.g. "app CPU 4.1 vs 1.2 ms". */
  figures: string[];
  /** The manifest's gaps that name this scenario. */
  declared: DeclaredGap[];
}

/** A cell of a run's results; runs published before a figure existed lack it. */
type Cell = Pick<CellResult, "app" | "scenario" | "ratioToBaseline"> &
  Partial<Pick<CellResult, "cpuMsPerRequest" | "statementsPerRequest" | "databaseWork">>;

// PostgreSQL's own count where the run has it (every app, any language), else the app's counter.
const statementsOf = (cell: Cell) => cell.databaseWork?.statements ?? cell.statementsPerRequest ?? null;

const buffersOf = (cell: Cell) =>
  cell.databaseWork ? cell.databaseWork.sharedBlksHit + cell.databaseWork.sharedBlksRead : null;

// Differences smaller than these are the ordinary scatter between two apps sending the same SQL.
const CPU_FACTOR = 1.25;
const BUFFERS_FACTOR = 1.5;
const STATEMENTS_EXTRA = 0.5;

const fixed = (value: number, digits = 1) => value.toFixed(digits);

/** What the measured figures of `cell` against `baseline` (the same scenario) point at. */
export function measuredCauses(cell: Cell, baseline: Cell): Pick<CellCause, "measured" | "figures"> {
  const measured: Cause[] = [];
  const figures: string[] = [];
  const statements = statementsOf(cell);
  const baseStatements = statementsOf(baseline);
  if (statements !== null && baseStatements !== null && statements - baseStatements >= STATEMENTS_EXTRA) {
    measured.push("statements");
    figures.push(`${fixed(statements)} vs ${fixed(baseStatements)} statements`);
  }
  const buffers = buffersOf(cell);
  const baseBuffers = buffersOf(baseline);
  if (buffers !== null && baseBuffers !== null && baseBuffers > 0 && buffers / baseBuffers >= BUFFERS_FACTOR) {
    // More buffers with more statements is the statements' cost; alone, it is the SQL's shape.
    if (!measured.includes("statements")) measured.push("shape");
    figures.push(`${fixed(buffers / baseBuffers)}x the buffers (${Math.round(buffers)} vs ${Math.round(baseBuffers)})`);
  }
  const cpu = cell.cpuMsPerRequest ?? null;
  const baseCpu = baseline.cpuMsPerRequest ?? null;
  if (cpu !== null && baseCpu !== null && baseCpu > 0 && cpu / baseCpu >= CPU_FACTOR) {
    measured.push("cpu");
    figures.push(`app CPU ${fixed(cpu, 2)} vs ${fixed(baseCpu, 2)} ms`);
  }
  // The largest relative excess first: that is what the reader should look at.
  return { measured: strongestFirst(measured, cell, baseline), figures };
}

function strongestFirst(causes: Cause[], cell: Cell, baseline: Cell): Cause[] {
  const excess = (cause: Cause): number => {
    if (cause === "cpu") return (cell.cpuMsPerRequest ?? 0) / (baseline.cpuMsPerRequest || 1);
    if (cause === "statements") return (statementsOf(cell) ?? 0) / (statementsOf(baseline) || 1);
    return (buffersOf(cell) ?? 0) / (buffersOf(baseline) || 1);
  };
  return [...causes].sort((a, b) => excess(b) - excess(a));
}

/**
 * Every cell of `cells` below {@link SLOW_CELL} of its language's baseline, with its causes.
 * `manifests` are the run's apps (their language, baseline flag and declared gaps).
 */
export function slowCellCauses(cells: Cell[], manifests: AppManifest[]): CellCause[] {
  const byName = new Map(manifests.map((manifest) => [manifest.name, manifest]));
  const baselineName = (manifest: AppManifest) =>
    manifests.find((other) => other.baseline && other.language === manifest.language)?.name;
  const causes: CellCause[] = [];
  for (const cell of cells) {
    const manifest = byName.get(cell.app);
    const ratio = cell.ratioToBaseline;
    if (!manifest || manifest.baseline || ratio === null || ratio >= SLOW_CELL) continue;
    const baseline = cells.find((other) => other.app === baselineName(manifest) && other.scenario === cell.scenario);
    const declared = (manifest.declaredGaps ?? []).filter((gap) => gap.scenarios.includes(cell.scenario));
    causes.push({
      app: cell.app,
      scenario: cell.scenario,
      ratio,
      ...(baseline ? measuredCauses(cell, baseline) : { measured: [], figures: [] }),
      declared,
    });
  }
  return causes;
}

/** What the run measured for a slow cell, in one line: the causes, then their figures. */
export function measuredLine(cause: CellCause): string {
  const measured = cause.measured.length > 0 ? cause.measured.join(" + ") : "none above the thresholds";
  return cause.figures.length > 0 ? `${measured} (${cause.figures.join("; ")})` : measured;
}

/** List and feed scenarios: the cells #19 holds to {@link MUST_DECLARE}. */
export const isListOrFeed = (scenario: string) => scenario.startsWith("articles") || scenario === "feed";

/** The first sentence of a declared gap's reason, for a table cell (the rest is in arena.json). */
export function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/);
  return end === -1 ? text : text.slice(0, end + 1);
}
