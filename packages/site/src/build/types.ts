/** The site's data: what the build step writes and the page imports (one JSON, no fetch). */
import type { MigrationRow } from "@arena/manifest";

export type Interval = [number, number];

/** A file, highlighted. */
export interface Highlighted {
  path: string;
  html: string;
}

export interface CellCauseText {
  /** What the run measured beside the baseline's cell (packages/bench/src/cell-causes.ts). */
  measured: string;
  /** The gaps the app's manifest declares for that scenario. */
  declared: { cause: string; why: string }[];
}

export interface BenchCell {
  app: string;
  scenario: string;
  medianRps: number;
  baseline: string | null;
  ratio: number | null;
  /** The 95% interval of `ratio`; null for the baseline itself and in runs written before intervals. */
  interval: Interval | null;
  nodeRatio: number | null;
  nodeInterval: Interval | null;
  statementsPerRequest: number | null;
  buffersPerRequest: number | null;
  rowsPerRequest: number | null;
  dbMsPerRequest: number | null;
  cpuMsPerRequest: number | null;
  latency: {
    p50: number;
    p90: number;
    p99: number;
    targetRate: number | null;
    achievedRate: number | null;
    samples: number | null;
    intervals: { p50: Interval | null; p90: Interval | null; p99: Interval | null };
  } | null;
  /** Why the cell is below 0.8 of its baseline; null when it is not. */
  cause: CellCauseText | null;
}

export interface MatrixCell {
  text: string;
  /** The figure the row sorts by. */
  value: number | null;
  low: number | null;
  high: number | null;
  cause: CellCauseText | null;
}

export interface MatrixRow {
  label: string;
  /** Where the row comes from. */
  source: string;
  unit?: string;
  cells: Record<string, MatrixCell>;
}

export interface MigrationEntry extends Omit<MigrationRow, "downTested"> {
  files: {
    path: string;
    /** As committed now. */
    current: string;
    /** As the tool wrote it (null when written by hand or not in this clone's history). */
    generated: string | null;
    /** The hand fix, generated → committed, as a unified diff (null when unchanged or unknown). */
    diff: string | null;
  }[];
}

export interface PitfallFiguresText {
  dbMs: number | null;
  buffers: number | null;
  appCpuMs: number | null;
}

export interface SiteApp {
  name: string;
  title: string;
  orm: string;
  version: string;
  pattern: string;
  language: string;
  baseline: boolean;
  storeFiles: string[];
  adminInterface: string;
  declaredGaps: { endpoint: string; scenarios: string[]; cause: string; why: string }[];
  /** The file of dist/data/ that holds its AppDetail (loaded when a page shows the app). */
  detailFile: string;
  pitfalls: {
    title: string;
    endpoint: string;
    naive: string;
    tuned: string;
    sqlShape: { naive: string; tuned: string } | null;
    before: PitfallFiguresText;
    after: PitfallFiguresText;
    baseline: PitfallFiguresText | null;
  }[];
  probes: Record<string, string>;
  reliability: Record<string, string> | null;
  migration: MigrationEntry | null;
  sqlMeasured: string | null;
}

export interface MethodHtml {
  file: string;
  line: number;
  html: string;
  /** Keys into `helpers[app]`. */
  helpers: string[];
}

export interface SqlEndpoint {
  status: number;
  statements: number;
  rows: number;
  buffers: number;
  execMs: number;
  queries: { calls: number; rows: number; buffers: number; execMs: number; html: string }[];
}

export interface SiteData {
  generatedAt: string;
  commit: string;
  apps: SiteApp[];
  useCases: {
    id: string;
    title: string;
    section: string;
    doc: string;
    endpoints: string[];
    scenarios: string[];
  }[];
  scenarios: { name: string; description: string; kind: string }[];
  bench: { command: string; startedAt: string; environment: string; cells: BenchCell[] } | null;
  matrix: MatrixRow[];
  probeTitles: Record<string, string>;
  migrationsGeneratedAt: string | null;
  sqlCommand: string | null;
  /** The highlighter's colour classes. */
  css: string;
}

/**
 * What only the pages that show one app need (its code, SQL, schema, README): one script per app
 * in dist/data/, so the first page loads a fraction of the whole.
 */
export interface AppDetail {
  /** The app's README, as HTML. */
  readme: string;
  schema: Highlighted[];
  /** Use case → its method, or null when the app has none. */
  code: Record<string, MethodHtml | null>;
  helpers: Record<string, { name: string; file: string; line: number; html: string }>;
  /** Endpoint → what PostgreSQL saw. */
  sql: Record<string, SqlEndpoint>;
}
