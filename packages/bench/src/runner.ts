import { cpus, hostname, totalmem } from "node:os";
import { hashPassword } from "@arena/api";
import { configureEmbeddedServer, createFreshDatabase, type FreshDatabase, findFreePort } from "@arena/database";
import pg from "pg";
import { type AppProcess, migrateApp, startApp, targetApp } from "./app-process.js";
import { measureCeiling } from "./ceiling.js";
import { type CpuPlan, parentPid, pinProcess, pinProcessTree, planCpus } from "./cpu-pinning.js";
import { generateDataset } from "./dataset.js";
import { failed, type LoadResult, measureThroughput, runLoad, type WindowResult } from "./load.js";
import { loadRequestLists } from "./request-lists.js";
import { type BenchRequest, SCENARIOS } from "./scenarios.js";
import { seedDatabase } from "./seed.js";
import { median, spread } from "./stats.js";
import { BENCH_JWT_SECRET } from "./tokens.js";

/** An app to measure: found by its manifest, run from its built output in `dir`. */
export interface BenchApp {
  name: string;
  title: string;
  dir: string;
  /** The app the others are measured against (its manifest says `"baseline": true`). */
  baseline: boolean;
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
  rounds: number;
  /** Requests per second for the latency runs; unset = half of the slowest app's median throughput. */
  rate: number | undefined;
  /** Scenarios also measured for latency at the fixed rate. */
  latencyScenarios: string[];
  latencySeconds: number;
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
  ratioToPg: number | null;
  /** `null` when not measured: a target that does not serve the statement counter. */
  statementsPerRequest: number | null;
  /** `null` for a target, whose CPU time this machine cannot read. */
  cpuMsPerRequest: number | null;
  /** Rounds whose window never saw one completion per connection before the time limit. */
  coarseRounds: number;
  latency: (LoadResult["latencyMs"] & { rate: number }) | null;
  failures: string[];
}

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
  apps: Array<Omit<BenchApp, "target"> & { placement: string; peakRssMb: number | null; cpuSeconds: number | null }>;
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
  monitor?: pg.Client;
}

/**
 * The load comparison. Every app gets a fresh database migrated by its own migrations and loaded
 * with the same data set, runs as its own production process with the same pool and Node flags,
 * and replays the same request lists. Each scenario is warmed up, then measured in rounds that
 * interleave the apps (A B C A B C ...), then measured for latency at one fixed rate for all.
 * A target (an app already running elsewhere) is measured where it runs, on its own database.
 */
export async function runBench(apps: BenchApp[], settings: BenchSettings, progress: Progress): Promise<BenchResults> {
  const startedAt = new Date().toISOString();
  const scenarios = SCENARIOS.filter((scenario) => settings.scenarios.includes(scenario.name));
  const lists = await loadRequestLists(settings.scale);
  const data = generateDataset(settings.scale);
  const passwordHash = await hashPassword("password123");
  const failures: string[] = [];
  const cpuPlan = settings.pinCpus ? planCpus() : null;
  if (settings.pinCpus && !cpuPlan)
    progress("CPU pinning is not possible here (needs Linux, 2+ CPUs, taskset): unpinned");
  // Before anything is spawned: PostgreSQL and the apps are moved or started on the server CPUs.
  if (cpuPlan) pinProcess(process.pid, cpuPlan.loadGenerator);
  configureEmbeddedServer(EMBEDDED_SERVER_SETTINGS);
  let pinnedDatabase: string | null = null;

  const running: Running[] = [];
  try {
    for (const app of apps) {
      if (app.target) {
        const { url, databaseUrl } = app.target;
        progress(`${app.name}: target ${url}${databaseUrl ? `, reset and seed ${data.articles.length} articles` : ""}`);
        if (databaseUrl) await seedDatabase(databaseUrl, data, passwordHash, { reset: true });
        running.push({
          app,
          server: await targetApp(app.name, url),
          ...(databaseUrl ? { monitor: await connectMonitor(databaseUrl) } : {}),
        });
        continue;
      }
      progress(`${app.name}: fresh database, migrate, seed ${data.articles.length} articles, start`);
      const database = await createFreshDatabase({ prefix: `bench_${app.name}` });
      const monitor = await connectMonitor(database.url);
      if (cpuPlan && database.server === "embedded" && pinnedDatabase === null) {
        pinnedDatabase = cpuPlan.server;
        await pinProcessTree(await postmasterPid(monitor), cpuPlan.server);
      }
      await migrateApp(app.dir, database.url);
      await seedDatabase(database.url, data, passwordHash);
      const server = await startApp({
        name: app.name,
        dir: app.dir,
        databaseUrl: database.url,
        port: await findFreePort(),
        poolMax: settings.poolMax,
        jwtSecret: BENCH_JWT_SECRET,
        nodeFlags: settings.nodeFlags,
        workers: settings.workers,
        statementTimeoutMs: settings.statementTimeoutMs,
        ...(cpuPlan ? { cpus: cpuPlan.server } : {}),
      });
      running.push({ app, server, database, monitor });
    }
    const postgres = await serverVersion(running.find((r) => r.monitor)?.monitor);

    progress("load generator ceiling (trivial route, no app)");
    const ceiling = await measureCeiling(
      await findFreePort(),
      settings.connections,
      settings.durationSeconds,
      cpuPlan?.server,
    );

    const cells = new Map<string, CellResult>();
    const cell = (app: string, scenario: string) => {
      const key = `${app}/${scenario}`;
      let found = cells.get(key);
      if (!found) {
        found = {
          app,
          scenario,
          rounds: [],
          medianRps: 0,
          spread: 0,
          ratioToPg: null,
          statementsPerRequest: 0,
          cpuMsPerRequest: 0,
          coarseRounds: 0,
          latency: null,
          failures: [],
        };
        cells.set(key, found);
      }
      return found;
    };
    const record = (target: CellResult, result: LoadResult, what: string) => {
      if (!failed(result)) return true;
      const message = `${target.app} ${target.scenario} ${what}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts of ${result.requests}${result.failures.length ? `; ${result.failures[0]}` : ""}`;
      target.failures.push(message);
      failures.push(message);
      return false;
    };

    const latencyScenarios = scenarios.filter((scenario) => settings.latencyScenarios.includes(scenario.name));
    const total = running.length * (scenarios.length * (settings.rounds + 1) + latencyScenarios.length);
    let done = 0;
    for (const scenario of scenarios) {
      const requests = lists[scenario.name];
      if (!requests) throw new Error(`no request list for ${scenario.name}`);
      for (const each of running) {
        const { app, server } = each;
        progress(`warm-up ${scenario.name} on ${app.name}`, { done: done++, total });
        const warm = await runLoad({
          url: server.url,
          requests,
          connections: settings.connections,
          durationSeconds: settings.warmupSeconds,
        });
        await quiesce(each);
        // A slow endpoint may complete nothing in a short warm-up; only wrong answers fail it.
        if (warm.non2xx > 0 || warm.errors > 0) record(cell(app.name, scenario.name), warm, "warm-up");
      }
      const statements: Record<string, { sql: number | null; requests: number; cpu: number | null }> = {};
      for (let round = 1; round <= settings.rounds; round++) {
        // Rotate who goes first, so no app always runs right after the same neighbour.
        const order = running.map((_, i) => running[(i + round - 1) % running.length] as Running);
        for (const each of order) {
          const { app, server } = each;
          progress(`${scenario.name} round ${round}/${settings.rounds} on ${app.name}`, { done: done++, total });
          const target = cell(app.name, scenario.name);
          const sqlBefore = await server.statements();
          const cpuBefore = (await server.usage())?.cpuSeconds ?? null;
          const result = await measure(server.url, requests, settings);
          // Requests cut off when the window closed are still running: they belong to this round.
          await quiesce(each);
          const sqlAfter = await server.statements();
          const cpuAfter = (await server.usage())?.cpuSeconds ?? null;
          if (result.coarse) target.coarseRounds++;
          if (record(target, result, `round ${round}`)) target.rounds.push(result.requestsPerSecond);
          const sum = statements[app.name] ?? { sql: 0, requests: 0, cpu: 0 };
          statements[app.name] = sum;
          // One unmeasured round leaves the whole cell unmeasured rather than undercounted.
          sum.sql = sum.sql === null || sqlBefore === null || sqlAfter === null ? null : sum.sql + sqlAfter - sqlBefore;
          sum.requests += result.sent;
          sum.cpu = sum.cpu === null || cpuBefore === null || cpuAfter === null ? null : sum.cpu + cpuAfter - cpuBefore;
        }
      }
      for (const { app } of running) {
        const target = cell(app.name, scenario.name);
        const sum = statements[app.name];
        target.medianRps = median(target.rounds);
        target.spread = spread(target.rounds);
        // The statement counter includes the warm-up-free rounds only, so this is exact per request.
        target.statementsPerRequest = perRequest(sum?.sql ?? null, sum?.requests ?? 0);
        const cpu = perRequest(sum?.cpu ?? null, sum?.requests ?? 0);
        target.cpuMsPerRequest = cpu === null ? null : cpu * 1000;
      }
      const baselineApp = running.find(({ app }) => app.baseline)?.app.name;
      const baseline = baselineApp === undefined ? undefined : cells.get(`${baselineApp}/${scenario.name}`);
      for (const { app } of running) {
        const target = cell(app.name, scenario.name);
        target.ratioToPg = baseline ? ratioToBaseline(target.rounds, baseline.rounds) : null;
      }

      if (latencyScenarios.includes(scenario)) {
        const sustainable = Math.min(
          ...running.map(({ app }) => cell(app.name, scenario.name).medianRps).filter((v) => v > 0),
        );
        const rate = settings.rate ?? Math.max(1, Math.floor(sustainable / 2));
        for (const each of running) {
          const { app, server } = each;
          progress(`${scenario.name} latency at ${rate} req/s on ${app.name}`, { done: done++, total });
          const target = cell(app.name, scenario.name);
          const result = await runLoad({
            url: server.url,
            requests,
            connections: settings.connections,
            durationSeconds: settings.latencySeconds,
            rate,
          });
          await quiesce(each);
          if (record(target, result, "latency")) target.latency = { ...result.latencyMs, rate };
        }
      }
      if (scenario.kind !== "read") {
        progress(`vacuum and checkpoint after ${scenario.name}`, { done, total });
        await tidyUp(running);
      }
    }

    const appResults: BenchResults["apps"] = [];
    for (const { app, server } of running) {
      const { target: _target, ...described } = app;
      const usage = await server.usage();
      appResults.push({
        ...described,
        placement: server.placement,
        peakRssMb: usage?.peakRssMb ?? null,
        cpuSeconds: usage?.cpuSeconds ?? null,
      });
    }
    return {
      startedAt,
      finishedAt: new Date().toISOString(),
      settings,
      environment: {
        node: process.version,
        postgres,
        database: running.find((r) => r.database)?.database?.server ?? "external",
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? "unknown",
        memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
        platform: `${process.platform} ${process.arch}`,
      },
      placement: {
        cpus: cpuPlan ? { ...cpuPlan, database: pinnedDatabase } : null,
        loadGenerator: hostname(),
        apps: Object.fromEntries(running.map(({ app, server }) => [app.name, server.placement])),
        database: describeDatabases(running),
      },
      apps: appResults,
      ceiling: { requestsPerSecond: ceiling.requestsPerSecond, latencyMs: ceiling.latencyMs },
      cells: [...cells.values()],
      failures,
    };
  } finally {
    for (const { server, database, monitor } of running) {
      await monitor?.end().catch(() => undefined);
      await server.stop().catch(() => undefined);
      await database?.drop().catch(() => undefined);
    }
  }
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
 * The embedded server's settings for the run. Every app's data fits in shared buffers, so no app
 * reads pages another app's scenario evicted; autovacuum is off, so no database is vacuumed in the
 * middle of another app's measurement: the bench vacuums them itself between scenarios (tidyUp).
 */
const EMBEDDED_SERVER_SETTINGS = { shared_buffers: "1GB", autovacuum: "off" };

/**
 * After a scenario that wrote: every app's database vacuumed and the server checkpointed, outside
 * any measurement, so the next scenario starts from the same state for all and no timed checkpoint
 * falls into one app's window. A server where the bench may not CHECKPOINT (not a superuser) skips that.
 */
async function tidyUp(running: Running[]): Promise<void> {
  for (const { monitor } of running) await monitor?.query("VACUUM");
  const any = running.find((r) => r.monitor)?.monitor;
  await any?.query("CHECKPOINT").catch(() => undefined);
}

async function connectMonitor(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: "arena-bench-monitor" });
  await client.connect();
  return client;
}

/** The postmaster: the parent of this connection's backend process (a server on this machine). */
async function postmasterPid(monitor: pg.Client): Promise<number> {
  const { rows } = await monitor.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  const parent = await parentPid(rows[0]?.pid ?? 0);
  if (!parent) throw new Error("cannot find the embedded PostgreSQL's postmaster in /proc");
  return parent;
}

async function serverVersion(monitor: pg.Client | undefined): Promise<string> {
  if (!monitor) return "unknown";
  const { rows } = await monitor.query<{ server_version: string }>("SHOW server_version");
  return rows[0]?.server_version ?? "unknown";
}

/**
 * Waits until the app's database runs no statement of the app. A run that ends cuts its in-flight
 * requests off at the client, but the app still runs their SQL to the end; measured next, another
 * app would share the machine with it. Statements still running after a short grace are cancelled
 * (a deep-offset page can take seconds): no client is waiting for their answer any more.
 */
async function quiesce({ monitor }: Running): Promise<void> {
  if (!monitor) return;
  const others = `datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`;
  const started = Date.now();
  let cancelled = false;
  while (Date.now() - started < 60_000) {
    const { rows } = await monitor.query<{ busy: number }>(
      `SELECT count(*)::int AS busy FROM pg_stat_activity WHERE ${others} AND state <> 'idle'`,
    );
    if ((rows[0]?.busy ?? 0) === 0) return;
    if (!cancelled && Date.now() - started > QUIESCE_GRACE_MS) {
      cancelled = true;
      await monitor.query(`SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE ${others} AND state = 'active'`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const QUIESCE_GRACE_MS = 300;

/**
 * The median of the per-round ratios when both cells have every round: round r of an app and of pg
 * ran within seconds of each other, so a slow stretch of the machine (another process, a thermal
 * dip) divides out instead of landing on one side of the ratio. Otherwise, the ratio of medians.
 */
export function ratioToBaseline(rounds: number[], baselineRounds: number[]): number | null {
  if (rounds.length > 0 && rounds.length === baselineRounds.length && baselineRounds.every((v) => v > 0)) {
    return median(rounds.map((rps, i) => rps / (baselineRounds[i] as number)));
  }
  const baseline = median(baselineRounds);
  return baseline > 0 ? median(rounds) / baseline : null;
}
