import { cpus, hostname, totalmem } from "node:os";
import { hashPassword } from "@arena/api";
import {
  addWork,
  configureEmbeddedServer,
  createFreshDatabase,
  type DatabaseWork,
  diffDatabaseWork,
  type FreshDatabase,
  findFreePort,
  snapshotDatabaseWork,
  totalWork,
  workPerRequest,
} from "@arena/database";
import { type AppProcess, migrateApp, startApp, targetApp } from "./app-process.js";
import { measureCeiling } from "./ceiling.js";
import { type CpuPlan, pinProcess, pinProcessTree, planCpus } from "./cpu-pinning.js";
import {
  connectMonitor,
  EMBEDDED_SERVER_SETTINGS,
  type Monitor,
  postmasterPid,
  quiesce,
  serverVersion,
  tidyUp,
} from "./database-monitor.js";
import { type Dataset, generateDataset } from "./dataset.js";
import { halfWidth, type Interval, ratioInterval } from "./intervals.js";
import { failed, type LoadResult, measureThroughput, runLoad, type WindowResult } from "./load.js";
import { type LatencyIntervals, type OpenLoopResult, openLoopSeconds, runOpenLoop } from "./open-loop.js";
import { Random } from "./random.js";
import { loadRequestLists } from "./request-lists.js";
import { medianHalfWidth, nextBatch, percent, scenarioDeadline, shuffled, type ThoroughPlan } from "./rounds.js";
import { type BenchRequest, SCENARIOS, type Scenario } from "./scenarios.js";
import { seedDatabase } from "./seed.js";
import { median, spread } from "./stats.js";
import { BENCH_JWT_SECRET } from "./tokens.js";

/** An app to measure: found by its manifest, run from its built output in `dir`. */
export interface BenchApp {
  name: string;
  title: string;
  dir: string;
  /**
   * The language it is written in (its manifest's): its ratio is taken to the baseline of the same
   * language, and to the Node baseline (the TypeScript one) as well.
   */
  language: string;
  /** The app the others of its language are measured against (its manifest says `"baseline": true`). */
  baseline: boolean;
  /**
   * Its manifest's commands, run in `dir` (`sh -c`): `migrate` the database of DATABASE_URL, then
   * `start` serving it on PORT, whatever language the app is written in.
   */
  commands: { start: string; migrate: string };
  /** ORM and tool versions from the manifest, recorded in the results. */
  packages: Record<string, string>;
  /**
   * Already running elsewhere (`--target name=url`): not built, migrated or started here. With a
   * `databaseUrl` (`--target-db`), the bench resets its data to this run's data set first;
   * without, it must already hold it (`npm run seed`).
   */
  target?: { url: string; databaseUrl?: string };
}

export interface BenchSettings {
  scenarios: string[];
  scale: number;
  /** The least length of a throughput window; a slow endpoint's window lasts one whole cycle. */
  durationSeconds: number;
  /** Once per app and scenario, before its first round (JIT, caches, pool connections). */
  warmupSeconds: number;
  /** Before each round's window opens, inside the same run (see measureThroughput). */
  settleSeconds: number;
  connections: number;
  /** Rounds per scenario; with `thorough`, those of the first batch. */
  rounds: number;
  /** Seeds each round's random order of the apps: recorded, so a run's orders can be replayed (`--seed`). */
  seed: number;
  /** `--thorough`: more rounds in batches until the intervals are narrow enough; null: `rounds` only. */
  thorough: ThoroughPlan | null;
  /** Requests per second for the latency runs; unset = half of the slowest app's median throughput. */
  rate: number | undefined;
  /** Scenarios also measured for latency at the fixed rate. */
  latencyScenarios: string[];
  latencySeconds: number;
  /** The least number of latency samples per cell: a run lasts longer than `latencySeconds` at a low rate to reach it. */
  latencySamples: number;
  /** Pool size of each app process; with workers, of each worker. */
  poolMax: number;
  /**
   * The apps' PG_STATEMENT_TIMEOUT_MS. Production's 5 s is shorter than a deep-offset page takes
   * when ten of them share one core: under saturation that is queueing, not a failure to measure.
   */
  statementTimeoutMs: number;
  /** Processes per spawned app (WORKERS); `connections` is the total across them. */
  workers: number;
  nodeFlags: string[];
  /** Load generator on CPU 0, apps and embedded PostgreSQL on the others (Linux, taskset). */
  pinCpus: boolean;
}

export type Progress = (message: string, step?: { done: number; total: number }) => void;

export interface CellResult {
  app: string;
  scenario: string;
  /** Requests per second of each round, in round order. */
  rounds: number[];
  medianRps: number;
  spread: number;
  /**
   * The app of this cell's language that is its baseline (`"baseline": true`): the raw driver with
   * hand-written SQL on the same stack. `null` when the run has none of that language.
   */
  baseline: string | null;
  /**
   * Throughput relative to `baseline`, the raw driver of the same language: what the ORM costs,
   * with language, web framework, server and driver the same on both sides.
   */
  ratioToBaseline: number | null;
  /**
   * The 95% interval of `ratioToBaseline` from the paired per-round ratios (see `ratioInterval`).
   * `null` when the rounds are not paired or fewer than two; absent in results written before.
   */
  ratioInterval: Interval | null;
  /** The Node baseline (the TypeScript language's baseline), every language's common reference. */
  nodeBaseline: string | null;
  /**
   * Throughput relative to `nodeBaseline`: what the whole stack costs (language, runtime, web
   * framework, server, driver and ORM together). For a TypeScript app it equals `ratioToBaseline`;
   * for an app of another language it is never the ORM's alone.
   */
  ratioToNodeBaseline: number | null;
  /** The 95% interval of `ratioToNodeBaseline`, as `ratioInterval`. */
  ratioToNodeBaselineInterval: Interval | null;
  /** `null` when not measured: a target that does not serve the statement counter. */
  statementsPerRequest: number | null;
  /** `null` for a target, whose CPU time this machine cannot read. */
  cpuMsPerRequest: number | null;
  /**
   * What PostgreSQL did per request over the rounds (pg_stat_statements in the app's database:
   * statements, rows, shared buffers hit and read, execution ms), divided by the requests
   * autocannon sent. `null` when not measured: a target without `--target-db`, or a server
   * without pg_stat_statements.
   */
  databaseWork: DatabaseWork | null;
  /** Rounds whose window never saw one completion per connection before the time limit. */
  coarseRounds: number;
  latency: FixedRateLatency | null;
  /** What went wrong in the throughput measurement (its warm-up or a round): any entry voids the cell's ratios. */
  failures: string[];
  /**
   * What went wrong in the fixed-rate latency run: it voids the latency cell only, since the
   * throughput rounds are separate measurements (absent in results written before, see withCurrentFields).
   */
  latencyFailures: string[];
}

/**
 * Latency of the open-loop run at a fixed arrival rate, from each request's scheduled send time to
 * its response's end.
 */
export type FixedRateLatency = OpenLoopResult["latencyMs"] & {
  /** The target rate, req/s (`targetRate`; the name earlier results used). */
  rate: number;
  targetRate: number;
  /** The rate the requests actually left at: below the target only when the in-flight bound held some back. */
  achievedRate: number;
  /** Answered requests, each one latency sample. */
  samples: number;
  /** Requests that waited for a free slot (LATENCY_MAX_IN_FLIGHT reached): timed from when they were due all the same. */
  delayed: number;
  /**
   * The latest a request left after it was due: the load generator's own lag (a busy event loop,
   * a CPU shared with other work), which counts in the latency and, near the end of a run, lowers
   * the achieved rate.
   */
  maxSendLagMs: number;
  /** The 95% interval of p50, p90 and p99 from the order statistics (absent in results before #20's latency intervals). */
  intervals?: LatencyIntervals;
};

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  settings: BenchSettings;
  environment: {
    node: string;
    postgres: string;
    database: "embedded" | "external";
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    platform: string;
  };
  /** Where each part ran: the load generator's host, each app, the database. */
  placement: {
    /** CPUs each side was pinned to; null when not pinned (--no-pin, or not possible here). */
    cpus: (CpuPlan & { database: string | null }) | null;
    loadGenerator: string;
    apps: Record<string, string>;
    database: string;
  };
  apps: Array<
    Omit<BenchApp, "target"> & {
      placement: string;
      /** The Node version the app reported serving on; `null` when it serves no statement counter or runs on no Node. */
      node: string | null;
      /** What the app's runtime says of its version (`node --version`, `python --version`); `null` for a target. */
      runtimeVersion: string | null;
      peakRssMb: number | null;
      cpuSeconds: number | null;
    }
  >;
  ceiling: { requestsPerSecond: number; latencyMs: LoadResult["latencyMs"] };
  cells: CellResult[];
  failures: string[];
}

interface Running {
  app: BenchApp;
  server: AppProcess;
  /** The fresh database of a spawned app; none for a target. */
  database?: FreshDatabase;
  /** Watches the app's database for queries still running after a measurement; none for a target without one. */
  monitor?: Monitor;
}

/** What every app is given alike: the data set, the request lists, where processes run. */
interface Preparation {
  data: Dataset;
  lists: Awaited<ReturnType<typeof loadRequestLists>>;
  passwordHash: string;
  cpuPlan: CpuPlan | null;
  /** The CPUs the embedded PostgreSQL was pinned to, once it was. */
  pinnedDatabase: string | null;
}

/** A measured run's progress: how many steps of how many are done. */
interface Steps {
  done: number;
  total: number;
}

/**
 * The load comparison. Every app gets a fresh database migrated by its own migrations and loaded
 * with the same data set, runs as its own production process with the same pool and Node flags,
 * and replays the same request lists. The reads, then the writes (see scenarioGroups), are warmed
 * up, then measured in passes: each pass one round of every scenario in a new seeded random order,
 * each round every app once in a new seeded random order (B A C, C B A ...), so a slow stretch of
 * the machine falls alike on every app and every scenario; then the group's latency scenarios are
 * measured at one fixed rate for all apps.
 * A target (an app already running elsewhere) is measured where it runs, on its own database.
 *
 * The steps: prepare, set up every app, measure the load generator's ceiling, then per group warm
 * up, run the passes, aggregate each scenario's rounds, measure latency; finally assemble the results.
 */
export async function runBench(apps: BenchApp[], settings: BenchSettings, progress: Progress): Promise<BenchResults> {
  const startedAt = new Date().toISOString();
  const startedAtMs = Date.now();
  const scenarios = SCENARIOS.filter((scenario) => settings.scenarios.includes(scenario.name));
  const preparation = await prepare(settings, progress);
  const running: Running[] = [];
  try {
    for (const app of apps) running.push(await setUp(app, settings, preparation, progress));
    const postgres = await serverVersion(running.find((r) => r.monitor)?.monitor);

    progress("load generator ceiling (trivial route, no app)");
    const ceiling = await measureCeiling(
      await findFreePort(),
      settings.connections,
      settings.durationSeconds,
      preparation.cpuPlan?.server,
    );

    const cells = new Cells();
    const order = new Random(settings.seed);
    const runDeadline = startedAtMs + (settings.thorough?.maxMinutes ?? 0) * 60_000;
    const latencyScenarios = scenarios.filter((scenario) => settings.latencyScenarios.includes(scenario.name));
    const steps = {
      done: 0,
      total: running.length * (scenarios.length * (settings.rounds + 1) + latencyScenarios.length),
    };
    let scenariosLeft = scenarios.length;
    for (const group of scenarioGroups(scenarios)) {
      for (const scenario of group)
        await warmUp(running, scenario, listOf(preparation, scenario), settings, cells, steps, progress);
      const latency = group.filter((scenario) => latencyScenarios.includes(scenario));
      const deadline = scenarioDeadline(Date.now(), runDeadline, scenariosLeft, group.length);
      const usage = await runPasses(running, group, preparation, settings, cells, steps, progress, {
        order,
        deadline,
        latency,
      });
      for (const scenario of group) aggregate(running, scenario, cells, usage[scenario.name] ?? {});
      for (const scenario of latency) {
        await measureLatency(running, scenario, listOf(preparation, scenario), settings, cells, steps, progress);
      }
      scenariosLeft -= group.length;
    }
    return await assembleResults({ startedAt, settings, postgres, ceiling, running, cells, preparation });
  } finally {
    for (const { server, database, monitor } of running) {
      await monitor?.client.end().catch(() => undefined);
      await server.stop().catch(() => undefined);
      await database?.drop().catch(() => undefined);
    }
  }
}

/** Generates the data set and reads the request lists; plans and pins CPUs before anything is spawned. */
async function prepare(settings: BenchSettings, progress: Progress): Promise<Preparation> {
  const lists = await loadRequestLists(settings.scale);
  const data = generateDataset(settings.scale);
  const passwordHash = await hashPassword("password123");
  const cpuPlan = settings.pinCpus ? planCpus() : null;
  if (settings.pinCpus && !cpuPlan)
    progress("CPU pinning is not possible here (needs Linux, 2+ CPUs, taskset): unpinned");
  // Before anything is spawned: PostgreSQL and the apps are moved or started on the server CPUs.
  if (cpuPlan) pinProcess(process.pid, cpuPlan.loadGenerator);
  configureEmbeddedServer(EMBEDDED_SERVER_SETTINGS);
  return { data, lists, passwordHash, cpuPlan, pinnedDatabase: null };
}

/**
 * One app ready to measure: a target reached (its database reset and seeded when given), or a
 * fresh database migrated by the app's own tool, seeded, and the app started on it.
 */
async function setUp(
  app: BenchApp,
  settings: BenchSettings,
  preparation: Preparation,
  progress: Progress,
): Promise<Running> {
  const { data, passwordHash, cpuPlan } = preparation;
  if (app.target) {
    const { url, databaseUrl } = app.target;
    progress(`${app.name}: target ${url}${databaseUrl ? `, reset and seed ${data.articles.length} articles` : ""}`);
    if (databaseUrl) await seedDatabase(databaseUrl, data, passwordHash, { reset: true });
    return {
      app,
      server: await targetApp(app.name, url),
      ...(databaseUrl ? { monitor: await connectMonitor(databaseUrl) } : {}),
    };
  }
  progress(`${app.name}: fresh database, migrate, seed ${data.articles.length} articles, start`);
  const database = await createFreshDatabase({ prefix: `bench_${app.name}` });
  const monitor = await connectMonitor(database.url);
  if (cpuPlan && database.server === "embedded" && preparation.pinnedDatabase === null) {
    preparation.pinnedDatabase = cpuPlan.server;
    await pinProcessTree(await postmasterPid(monitor), cpuPlan.server);
  }
  await migrateApp(app, database.url);
  await seedDatabase(database.url, data, passwordHash);
  const server = await startApp({
    name: app.name,
    dir: app.dir,
    command: app.commands.start,
    databaseUrl: database.url,
    port: await findFreePort(),
    poolMax: settings.poolMax,
    jwtSecret: BENCH_JWT_SECRET,
    nodeFlags: settings.nodeFlags,
    workers: settings.workers,
    statementTimeoutMs: settings.statementTimeoutMs,
    ...(cpuPlan ? { cpus: cpuPlan.server } : {}),
  });
  return { app, server, database, monitor };
}

/** Every cell of the run (app × scenario), and every failure recorded in any of them. */
class Cells {
  private readonly byKey = new Map<string, CellResult>();
  readonly failures: string[] = [];

  get(app: string, scenario: string): CellResult {
    const key = `${app}/${scenario}`;
    let found = this.byKey.get(key);
    if (!found) {
      found = {
        app,
        scenario,
        rounds: [],
        medianRps: 0,
        spread: 0,
        baseline: null,
        ratioToBaseline: null,
        ratioInterval: null,
        nodeBaseline: null,
        ratioToNodeBaseline: null,
        ratioToNodeBaselineInterval: null,
        statementsPerRequest: 0,
        cpuMsPerRequest: 0,
        databaseWork: null,
        coarseRounds: 0,
        latency: null,
        failures: [],
        latencyFailures: [],
      };
      this.byKey.set(key, found);
    }
    return found;
  }

  /**
   * Whether `result` was clean; if not, the failure is kept in the cell and in the run, with the
   * end of what the app printed meanwhile (`server.takeOutput()`), which often names the cause.
   */
  record(target: CellResult, result: Outcome, what: string, server: AppProcess): boolean {
    const said = server.takeOutput().trim();
    if (!failed(result)) return true;
    const printed = said ? `; the app printed: ${said.length > 600 ? `…${said.slice(-600)}` : said}` : "";
    const message = `${target.app} ${target.scenario} ${what}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts of ${result.requests}${result.failures.length ? `; ${result.failures[0]}` : ""}${printed}`;
    (what === LATENCY ? target.latencyFailures : target.failures).push(message);
    this.failures.push(message);
    return false;
  }

  all(): CellResult[] {
    return [...this.byKey.values()];
  }
}

/** The measurement a failure of the fixed-rate run is recorded under, in its message too. */
const LATENCY = "latency";

/** What a failure is judged on, for a closed-loop run and an open-loop one alike. */
type Outcome = Pick<LoadResult, "non2xx" | "errors" | "timeouts" | "requests" | "failures">;

/** Each app runs the scenario unmeasured first (JIT, caches, pool). */
async function warmUp(
  running: Running[],
  scenario: Scenario,
  requests: BenchRequest[],
  settings: BenchSettings,
  cells: Cells,
  steps: Steps,
  progress: Progress,
): Promise<void> {
  for (const each of running) {
    const { app, server } = each;
    progress(`warm-up ${scenario.name} on ${app.name}`, { done: steps.done++, total: steps.total });
    const warm = await runLoad({
      url: server.url,
      requests,
      connections: settings.connections,
      durationSeconds: settings.warmupSeconds,
    });
    await quiesce(each.monitor);
    // A slow endpoint may complete nothing in a short warm-up; only wrong answers fail it.
    if (warm.non2xx > 0 || warm.errors > 0) cells.record(cells.get(app.name, scenario.name), warm, "warm-up", server);
  }
}

/** Statements, requests, CPU time and database work an app spent over a scenario's rounds (null: not measurable). */
type RoundUsage = Record<
  string,
  { sql: number | null; requests: number; cpu: number | null; work: DatabaseWork | null }
>;

/** A scenario's request list, read once by `prepare`. */
function listOf(preparation: Preparation, scenario: Scenario): BenchRequest[] {
  const requests = preparation.lists[scenario.name];
  if (!requests) throw new Error(`no request list for ${scenario.name}`);
  return requests;
}

/**
 * The scenarios in the groups whose passes interleave: the reads, on the data set as seeded, then
 * the writes (and the mix), which grow it. A read measured after a pass of writes would read more
 * rows for the apps that wrote more, so reads never follow writes.
 */
export function scenarioGroups(scenarios: readonly Scenario[]): Scenario[][] {
  const reads = scenarios.filter((scenario) => scenario.kind === "read");
  const writes = scenarios.filter((scenario) => scenario.kind !== "read");
  return [reads, writes].filter((group) => group.length > 0);
}

/**
 * The measured rounds of a group of scenarios, in passes: each pass runs one round of every
 * scenario still measuring, the scenarios in a new random order, and each round the apps in a new
 * random order. A scenario's rounds are thus spread over the group's whole time instead of one
 * block of it: on a shared VM the machine's speed moves by tens of percent from one minute to the
 * next, and not alike for every app, so a scenario measured in one block carried that block's
 * luck into every one of its ratios, beyond what its rounds' spread showed (two thorough runs in
 * blocks: 21 of 126 cells moved beyond both intervals). Spread over the run, each cell's rounds
 * sample the machine's states and their spread holds them. With `--thorough`, batches of passes
 * follow the first until `nextBatch` stops each scenario; each clean round's throughput goes into
 * its cell.
 */
async function runPasses(
  running: Running[],
  group: Scenario[],
  preparation: Preparation,
  settings: BenchSettings,
  cells: Cells,
  steps: Steps,
  progress: Progress,
  plan: { order: Random; deadline: number; latency: Scenario[] },
): Promise<Record<string, RoundUsage>> {
  const usage: Record<string, RoundUsage> = {};
  const writes = group.some((scenario) => scenario.kind !== "read");
  let active = [...group];
  let planned = settings.rounds;
  let pass = 0;
  for (;;) {
    const batchStartedAt = Date.now();
    while (pass < planned) {
      pass++;
      for (const scenario of shuffled(active, plan.order)) {
        usage[scenario.name] ??= {};
        const round = { label: `${pass}/${planned}`, order: plan.order, usage: usage[scenario.name] as RoundUsage };
        await runRound(running, scenario, listOf(preparation, scenario), settings, cells, steps, progress, round);
      }
      if (writes) {
        // What the pass wrote is vacuumed and checkpointed now, not in the middle of the next app's round.
        progress(`vacuum and checkpoint after pass ${pass}`, steps);
        await tidyUp(running.map((r) => r.monitor));
      }
    }
    const thorough = settings.thorough;
    if (!thorough) return usage;
    const widths = new Map(
      active.map((scenario) => [
        scenario,
        intervalsOf(running, scenario, cells).map((interval) =>
          interval ? halfWidth(interval) : Number.POSITIVE_INFINITY,
        ),
      ]),
    );
    const unfinished = active.filter(
      (scenario) => medianHalfWidth(widths.get(scenario) ?? []) >= thorough.targetHalfWidth,
    );
    // The next batch runs only the scenarios still above the target; the latency cells after the
    // passes come out of the group's share too.
    const lastBatchMs = ((Date.now() - batchStartedAt) * unfinished.length) / Math.max(1, active.length);
    const deadline = plan.deadline - latencyEstimateMs(running, plan.latency, cells, settings);
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    const next: Scenario[] = [];
    for (const scenario of active) {
      const halfWidths = widths.get(scenario) ?? [];
      const decision = nextBatch({
        halfWidths,
        target: thorough.targetHalfWidth,
        now: Date.now(),
        deadline,
        lastBatchMs,
      });
      progress(
        `${scenario.name}: ${pass} rounds, interval half-widths ${halfWidths.map(percent).join(", ")}; ${
          decision.more
            ? `${thorough.batchRounds} more rounds (${left} s of the group's share left)`
            : `stop: ${decision.reason}`
        }\n`,
        steps,
      );
      if (decision.more) next.push(scenario);
    }
    if (next.length === 0) return usage;
    active = next;
    planned += thorough.batchRounds;
    steps.total += running.length * thorough.batchRounds * active.length;
  }
}

/**
 * How long the latency cells of `scenarios` will take at the rate `measureLatency` will pick from
 * the rounds so far (the slowest app's median may still move, so this is an estimate).
 */
function latencyEstimateMs(running: Running[], scenarios: Scenario[], cells: Cells, settings: BenchSettings): number {
  let total = 0;
  for (const scenario of scenarios) {
    const medians = running
      .map(({ app }) => median(cells.get(app.name, scenario.name).rounds))
      .filter((value) => value > 0);
    if (medians.length === 0 && settings.rate === undefined) continue;
    const rate = settings.rate ?? Math.max(1, Math.floor(Math.min(...medians) / 2));
    // Each app's run, plus the quiet wait after it.
    total += running.length * (openLoopSeconds(rate, settings.latencySeconds, settings.latencySamples) + 0.5) * 1000;
  }
  return total;
}

/** One round of a scenario: every app once, in a new random order; its usage added to the scenario's. */
async function runRound(
  running: Running[],
  scenario: Scenario,
  requests: BenchRequest[],
  settings: BenchSettings,
  cells: Cells,
  steps: Steps,
  progress: Progress,
  round: { label: string; order: Random; usage: RoundUsage },
): Promise<void> {
  const usage = round.usage;
  for (const each of shuffled(running, round.order)) {
    const { app, server } = each;
    progress(`${scenario.name} round ${round.label} on ${app.name}`, {
      done: steps.done++,
      total: steps.total,
    });
    const target = cells.get(app.name, scenario.name);
    const sqlBefore = await server.statements();
    const cpuBefore = (await server.usage())?.cpuSeconds ?? null;
    const workBefore = each.monitor?.accounted ? await snapshotDatabaseWork(each.monitor.databaseUrl) : null;
    const result = await measure(server.url, requests, settings);
    // Requests cut off when the window closed are still running: they belong to this round.
    await quiesce(each.monitor);
    const sqlAfter = await server.statements();
    const cpuAfter = (await server.usage())?.cpuSeconds ?? null;
    const workAfter = workBefore && each.monitor ? await snapshotDatabaseWork(each.monitor.databaseUrl) : null;
    if (result.coarse) target.coarseRounds++;
    if (cells.record(target, result, `round ${round.label}`, server)) target.rounds.push(result.requestsPerSecond);
    const sum = usage[app.name] ?? { sql: 0, requests: 0, cpu: 0, work: totalWork([]) };
    usage[app.name] = sum;
    // One unmeasured round leaves the whole cell unmeasured rather than undercounted.
    sum.sql = sum.sql === null || sqlBefore === null || sqlAfter === null ? null : sum.sql + sqlAfter - sqlBefore;
    sum.requests += result.sent;
    sum.cpu = sum.cpu === null || cpuBefore === null || cpuAfter === null ? null : sum.cpu + cpuAfter - cpuBefore;
    sum.work =
      sum.work === null || workBefore === null || workAfter === null
        ? null
        : addWork(sum.work, diffDatabaseWork(workBefore, workAfter).total);
  }
}

/**
 * The intervals the thorough stopping rule watches, one per app but the Node baseline: each app's
 * to its language's baseline, and another language's baseline's to the Node baseline.
 */
function intervalsOf(running: Running[], scenario: Scenario, cells: Cells): Array<Interval | null> {
  const baselineOf = (language: string) => running.find(({ app }) => app.baseline && app.language === language)?.app;
  const node = baselineOf(NODE_BASELINE_LANGUAGE);
  return running.flatMap(({ app }) => {
    const against = app.baseline ? (app === node ? undefined : node) : baselineOf(app.language);
    if (!against) return [];
    return [ratioInterval(cells.get(app.name, scenario.name).rounds, cells.get(against.name, scenario.name).rounds)];
  });
}

/** Median, spread, statements and CPU per request of each app's cell, and its ratio to the baseline's. */
function aggregate(running: Running[], scenario: Scenario, cells: Cells, usage: RoundUsage): void {
  for (const { app } of running) {
    const target = cells.get(app.name, scenario.name);
    const sum = usage[app.name];
    target.medianRps = median(target.rounds);
    target.spread = spread(target.rounds);
    // The statement counter includes the warm-up-free rounds only, so this is exact per request.
    target.statementsPerRequest = perRequest(sum?.sql ?? null, sum?.requests ?? 0);
    const cpu = perRequest(sum?.cpu ?? null, sum?.requests ?? 0);
    target.cpuMsPerRequest = cpu === null ? null : cpu * 1000;
    target.databaseWork = sum?.work && sum.requests > 0 ? workPerRequest(sum.work, sum.requests) : null;
  }
  const baselineOf = (language: string) => running.find(({ app }) => app.baseline && app.language === language)?.app;
  const nodeBaseline = baselineOf(NODE_BASELINE_LANGUAGE);
  for (const { app } of running) {
    const target = cells.get(app.name, scenario.name);
    const own = baselineOf(app.language);
    target.baseline = own?.name ?? null;
    const ownRounds = own ? cells.get(own.name, scenario.name).rounds : undefined;
    target.ratioToBaseline = ownRounds ? ratioToBaseline(target.rounds, ownRounds) : null;
    target.ratioInterval = ownRounds ? ratioInterval(target.rounds, ownRounds) : null;
    target.nodeBaseline = nodeBaseline?.name ?? null;
    const nodeRounds = nodeBaseline ? cells.get(nodeBaseline.name, scenario.name).rounds : undefined;
    target.ratioToNodeBaseline = nodeRounds ? ratioToBaseline(target.rounds, nodeRounds) : null;
    target.ratioToNodeBaselineInterval = nodeRounds ? ratioInterval(target.rounds, nodeRounds) : null;
  }
}

/**
 * The language whose baseline every app is also measured against: the TypeScript one, on Node, the
 * first the arena had (its manifests' default, as `findBaseline()`'s).
 */
export const NODE_BASELINE_LANGUAGE = "typescript";

/**
 * A bound on requests in flight during a fixed-rate run: far above what an app sustaining the rate
 * keeps open (rate × latency), so only an app stalled for seconds reaches it, and then the held-back
 * requests still count from when they were due.
 */
const LATENCY_MAX_IN_FLIGHT = 256;

/**
 * Latency at one fixed arrival rate for every app: half of what the slowest app sustained, unless
 * --rate. Open loop: requests leave on schedule and are timed from then (see runOpenLoop).
 */
async function measureLatency(
  running: Running[],
  scenario: Scenario,
  requests: BenchRequest[],
  settings: BenchSettings,
  cells: Cells,
  steps: Steps,
  progress: Progress,
): Promise<void> {
  const sustainable = Math.min(
    ...running.map(({ app }) => cells.get(app.name, scenario.name).medianRps).filter((v) => v > 0),
  );
  if (settings.rate === undefined && !Number.isFinite(sustainable)) {
    // No app sustained any throughput (every round failed, and says why): no rate to hold.
    progress(`${scenario.name} latency skipped: no app completed a clean round`, steps);
    steps.done += running.length;
    return;
  }
  const rate = settings.rate ?? Math.max(1, Math.floor(sustainable / 2));
  const seconds = openLoopSeconds(rate, settings.latencySeconds, settings.latencySamples);
  for (const each of running) {
    const { app, server } = each;
    progress(`${scenario.name} latency at ${rate} req/s for ${Math.round(seconds * 10) / 10} s on ${app.name}`, {
      done: steps.done++,
      total: steps.total,
    });
    const target = cells.get(app.name, scenario.name);
    const result = await runOpenLoop({
      url: server.url,
      requests,
      rate,
      durationSeconds: seconds,
      maxInFlight: LATENCY_MAX_IN_FLIGHT,
    });
    await quiesce(each.monitor);
    if (cells.record(target, { ...result, requests: result.samples }, LATENCY, server)) {
      target.latency = {
        ...result.latencyMs,
        rate,
        targetRate: result.targetRate,
        achievedRate: result.achievedRate,
        samples: result.samples,
        delayed: result.delayed,
        maxSendLagMs: result.maxSendLagMs,
        intervals: result.latencyIntervalsMs,
      };
    }
  }
}

/** The run as written to results.json: settings, environment, placement, apps, ceiling and cells. */
async function assembleResults(run: {
  startedAt: string;
  settings: BenchSettings;
  postgres: string;
  ceiling: Awaited<ReturnType<typeof measureCeiling>>;
  running: Running[];
  cells: Cells;
  preparation: Preparation;
}): Promise<BenchResults> {
  const { running, preparation } = run;
  const appResults: BenchResults["apps"] = [];
  for (const { app, server } of running) {
    const { target: _target, ...described } = app;
    const usage = await server.usage();
    appResults.push({
      ...described,
      placement: server.placement,
      node: server.node,
      runtimeVersion: server.runtimeVersion,
      peakRssMb: usage?.peakRssMb ?? null,
      cpuSeconds: usage?.cpuSeconds ?? null,
    });
  }
  return {
    startedAt: run.startedAt,
    finishedAt: new Date().toISOString(),
    settings: run.settings,
    environment: {
      node: process.version,
      postgres: run.postgres,
      database: running.find((r) => r.database)?.database?.server ?? "external",
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
      platform: `${process.platform} ${process.arch}`,
    },
    placement: {
      cpus: preparation.cpuPlan ? { ...preparation.cpuPlan, database: preparation.pinnedDatabase } : null,
      loadGenerator: hostname(),
      apps: Object.fromEntries(running.map(({ app, server }) => [app.name, server.placement])),
      database: describeDatabases(running),
    },
    apps: appResults,
    ceiling: { requestsPerSecond: run.ceiling.requestsPerSecond, latencyMs: run.ceiling.latencyMs },
    cells: run.cells.all(),
    failures: run.cells.failures,
  };
}

const perRequest = (total: number | null, requests: number) =>
  total === null ? null : requests > 0 ? total / requests : 0;

/** Where the data lives, without credentials: the spawned apps' server, and each target's database. */
function describeDatabases(running: Running[]): string {
  const parts: string[] = [];
  const spawned = running.find((r) => r.database)?.database;
  if (spawned) {
    parts.push(
      spawned.server === "embedded"
        ? `embedded PostgreSQL on ${hostname()} (spawned apps)`
        : `external PostgreSQL at ${serverAddress(spawned.url)} (spawned apps)`,
    );
  }
  for (const { app } of running) {
    if (!app.target) continue;
    parts.push(
      app.target.databaseUrl
        ? `${app.name}: ${serverAddress(app.target.databaseUrl)}/${new URL(app.target.databaseUrl).pathname.slice(1)} (seeded by the bench)`
        : `${app.name}: the target's own database, not seen by the bench`,
    );
  }
  return parts.join("; ");
}

/** host:port of a connection URL, never its user or password. */
function serverAddress(url: string): string {
  const { hostname: host, port } = new URL(url);
  return `${host}:${port || "5432"}`;
}

/** One round's throughput window: steady state, and for a slow endpoint at least one whole cycle. */
function measure(url: string, requests: BenchRequest[], settings: BenchSettings): Promise<WindowResult> {
  return measureThroughput({
    url,
    requests,
    connections: settings.connections,
    windowSeconds: settings.durationSeconds,
    settleSeconds: settings.settleSeconds,
    maxSeconds: Math.max(20, settings.durationSeconds * 16),
  });
}

/**
 * The geometric mean of the per-round ratios when both cells have every round: round r of an app
 * and of its baseline ran within seconds of each other, so a slow stretch of the machine (another
 * process, a thermal dip) divides out instead of landing on one side of the ratio. The geometric
 * mean is the centre of `ratioInterval` (a t-interval on the same logs), so a printed ratio always
 * sits in the middle of its interval; the median, used before, could sit at its edge with a skewed
 * handful of rounds. Otherwise (a failed round on either side), the ratio of medians.
 */
export function ratioToBaseline(rounds: number[], baselineRounds: number[]): number | null {
  if (
    rounds.length > 0 &&
    rounds.length === baselineRounds.length &&
    [...rounds, ...baselineRounds].every((v) => v > 0)
  ) {
    const logs = rounds.map((rps, i) => Math.log(rps / (baselineRounds[i] as number)));
    return Math.exp(logs.reduce((sum, value) => sum + value, 0) / logs.length);
  }
  const baseline = median(baselineRounds);
  return baseline > 0 ? median(rounds) / baseline : null;
}

/**
 * A recorded run's ratios and intervals computed again from its rounds by the definitions above,
 * so runs recorded before a definition changed compare with new ones like for like. Each cell's
 * `baseline` and `nodeBaseline` name the cells it is divided by.
 */
export function withRecomputedRatios<T extends Pick<BenchResults, "cells">>(run: T): T {
  const roundsOf = (app: string | null | undefined, scenario: string) =>
    app ? run.cells.find((cell) => cell.app === app && cell.scenario === scenario)?.rounds : undefined;
  const recomputed = run.cells.map((cell) => {
    if (!Array.isArray(cell.rounds) || cell.rounds.length === 0) return cell;
    const own = roundsOf(cell.baseline, cell.scenario);
    const node = roundsOf(cell.nodeBaseline, cell.scenario);
    return {
      ...cell,
      ...(own
        ? { ratioToBaseline: ratioToBaseline(cell.rounds, own), ratioInterval: ratioInterval(cell.rounds, own) }
        : {}),
      ...(node
        ? {
            ratioToNodeBaseline: ratioToBaseline(cell.rounds, node),
            ratioToNodeBaselineInterval: ratioInterval(cell.rounds, node),
          }
        : {}),
    };
  });
  return { ...run, cells: recomputed };
}
/**
 * The least time a run of `apps` spends measuring: warm-ups, settled windows of every round, latency
 * runs. Setting up each app (migrate, seed, start) and a slow endpoint's windows, which last whole
 * cycles, come on top: the default run of seven apps on 2 cores took 1.26 times this. With
 * `--thorough`, this is its first batch; further batches run up to its `maxMinutes`.
 */
export function nominalSeconds(apps: number, settings: BenchSettings): number {
  const scenarios = SCENARIOS.filter((scenario) => settings.scenarios.includes(scenario.name));
  const latency = scenarios.filter((scenario) => settings.latencyScenarios.includes(scenario.name)).length;
  const perScenario = settings.warmupSeconds + settings.rounds * (settings.settleSeconds + settings.durationSeconds);
  return apps * (scenarios.length * perScenario + latency * settings.latencySeconds);
}
