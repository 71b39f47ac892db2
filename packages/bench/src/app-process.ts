import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { delimiter, dirname } from "node:path";
import { childPids, onCpus } from "./cpu-pinning.js";

/**
 * Every app process still running: one exit hook stops them all (one listener per app would pass
 * Node's limit of ten once a run holds eleven apps).
 */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGTERM");
});

/** An app under load: started here from its built output, or already running elsewhere (a target). */
export interface AppProcess {
  name: string;
  url: string;
  /** Where it runs, for the results: "spawned on <host>, 1 worker" or "target <url>". */
  placement: string;
  /** The Node version the app says it runs on (`GET /__arena/sql`); `null` when it serves no counter or runs on no Node. */
  node: string | null;
  /** The first word of its start command asked `--version` (Node's, Python's...); `null` for a target. */
  runtimeVersion: string | null;
  /**
   * Peak resident memory (VmHWM) and CPU time so far, read from /proc and summed over the primary
   * and its workers; `null` for a target, whose processes this machine cannot see.
   */
  usage(): Promise<{ peakRssMb: number; cpuSeconds: number } | null>;
  /**
   * Statements sent to PostgreSQL so far, summed over workers (the app runs with
   * ARENA_SQL_COUNTER=1); `null` when a target does not serve the counter.
   */
  statements(): Promise<number | null>;
  /**
   * What the app printed since the last call (at most its last hundred chunks), to stand beside a
   * failed measurement; empty for a target, whose output this machine cannot see.
   */
  takeOutput(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  dir: string;
  /** The manifest's start command, run in `dir`; `node` there is this process's Node, with `nodeFlags`. */
  command: string;
  databaseUrl: string;
  port: number;
  poolMax: number;
  jwtSecret: string;
  /** Flags of a start command that runs `node`; an app on another runtime gets none. */
  nodeFlags: string[];
  /** Processes serving the port (WORKERS); each has its own pool of `poolMax`. */
  workers: number;
  /** PG_STATEMENT_TIMEOUT_MS of the app's pool. */
  statementTimeoutMs: number;
  /** taskset CPU list to run on (the app and every worker it forks); unset = anywhere. */
  cpus?: string;
}

/**
 * Runs the app's manifest `migrate` command (its own migration tool, from its built output) against
 * `databaseUrl`, in the app's folder.
 */
export async function migrateApp(
  app: { dir: string; commands: { migrate: string } },
  databaseUrl: string,
): Promise<void> {
  await run("sh", ["-c", `exec ${app.commands.migrate}`], {
    cwd: app.dir,
    env: { ...withThisNode(process.env), DATABASE_URL: databaseUrl },
  });
}

/**
 * The argv of a manifest command: a command that runs `node` runs this process's Node (the version
 * the bench records) with the Node flags; any other through `sh -c exec`, so the pid is the app's.
 */
function commandLine(command: string, nodeFlags: string[]): string[] {
  const [program, ...args] = command.trim().split(/\s+/);
  if (program === "node" && args.every((arg) => /^[\w./@=:-]+$/.test(arg))) {
    return [process.execPath, ...nodeFlags, ...args];
  }
  return ["sh", "-c", `exec ${command}`];
}

/** `node` on PATH is this process's Node, for the manifest commands run through a shell. */
function withThisNode(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, PATH: [dirname(process.execPath), env.PATH].filter(Boolean).join(delimiter) };
}

/** `<program> --version` of a start command's first word, run in the app's folder (`.venv/bin/python` is relative to it). */
function runtimeVersionOf(command: string, dir: string): string | null {
  const [program] = command.trim().split(/\s+/);
  if (!program) return null;
  const probe = spawnSync(program === "node" ? process.execPath : program, ["--version"], {
    cwd: dir,
    encoding: "utf8",
  });
  const text = `${probe.stdout ?? ""}${probe.stderr ?? ""}`.trim().split("\n")[0];
  return probe.status === 0 && text ? text : null;
}

export async function startApp(options: StartOptions): Promise<AppProcess> {
  const [command, args] = onCpus(commandLine(options.command, options.nodeFlags), options.cpus);
  const child = spawn(command, args, {
    cwd: options.dir,
    env: {
      ...withThisNode(process.env),
      NODE_ENV: "production",
      DATABASE_URL: options.databaseUrl,
      PORT: String(options.port),
      JWT_SECRET: options.jwtSecret,
      PG_POOL_MAX: String(options.poolMax),
      PG_STATEMENT_TIMEOUT_MS: String(options.statementTimeoutMs),
      WORKERS: String(options.workers),
      ARENA_SQL_COUNTER: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // If the benchmark itself is stopped, its apps must not outlive it.
  running.add(child);
  child.once("exit", () => running.delete(child));
  const output: string[] = [];
  let taken = 0;
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 100) {
      output.shift();
      taken = Math.max(0, taken - 1);
    }
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const url = `http://127.0.0.1:${options.port}`;
  await waitForHealth(url, child, output);
  // One worker answers /healthz first; measure only once all of them are listening: a Node primary
  // says so in one line, other servers' workers each print their own start line.
  if (options.workers > 1) await waitForWorkers(options.workers, child, output);
  const pid = child.pid ?? 0;

  return {
    name: options.name,
    url,
    placement: `spawned on ${hostname()}, ${options.workers} worker${options.workers === 1 ? "" : "s"}`,
    node: (await readCounter(url))?.node ?? null,
    runtimeVersion: runtimeVersionOf(options.command, options.dir),
    async usage() {
      let peakKb = 0;
      let ticks = 0;
      for (const each of [pid, ...(await childPids(pid))]) {
        const status = await readFile(`/proc/${each}/status`, "utf8");
        const stat = (await readFile(`/proc/${each}/stat`, "utf8")).split(") ")[1]?.split(" ") ?? [];
        ticks += Number(stat[11] ?? 0) + Number(stat[12] ?? 0);
        peakKb += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      }
      return { peakRssMb: peakKb / 1024, cpuSeconds: ticks / 100 };
    },
    statements: () => readStatements(url),
    takeOutput() {
      const said = output.slice(taken).join("");
      taken = output.length;
      return said;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * An app already running elsewhere (`--target name=url`): nothing is started or stopped here, and
 * its CPU and memory are not visible from this machine. It must serve the bench's data set (see
 * `npm run seed`) with JWT_SECRET set to the bench's secret, and ARENA_SQL_COUNTER=1 for SQL counts.
 */
export async function targetApp(name: string, url: string): Promise<AppProcess> {
  const base = url.replace(/\/+$/, "");
  const health = await fetch(`${base}/healthz`).catch((error: Error) => error);
  if (health instanceof Error || !health.ok) {
    throw new Error(
      `target ${name} (${base}) is not healthy: ${health instanceof Error ? health.message : health.status}`,
    );
  }
  // A target serving the statement counter also says how many workers it runs, and on which Node.
  const counter = await readCounter(base).catch(() => null);
  const workers = counter?.workers;
  return {
    name,
    url: base,
    placement: `target ${base}${workers ? `, ${workers} worker${workers === 1 ? "" : "s"}` : ""}`,
    node: counter?.node ?? null,
    runtimeVersion: null,
    usage: async () => null,
    statements: () => readStatements(base),
    takeOutput: () => "",
    stop: async () => undefined,
  };
}

interface Counter {
  statements: number;
  workers?: number;
  /** Absent from apps built before the counter reported it. */
  node?: string;
}

/** The app's `GET /__arena/sql`, or `null` when it does not serve it (no ARENA_SQL_COUNTER=1). */
async function readCounter(url: string): Promise<Counter | null> {
  const response = await fetch(`${url}/__arena/sql`);
  if (response.status === 404) return null;
  return (await response.json()) as Counter;
}

async function readStatements(url: string): Promise<number | null> {
  return (await readCounter(url))?.statements ?? null;
}

async function waitForHealth(url: string, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}:\n${output.join("")}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`the app did not become healthy in 30 s:\n${output.join("")}`);
}

/** Until the app printed `(N workers,` (a Node primary) or N lines "Conduit API on" (one per worker). */
async function waitForWorkers(workers: number, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  const ready = () => {
    const text = output.join("");
    return text.includes(`(${workers} workers,`) || text.split("Conduit API on").length - 1 >= workers;
  };
  while (!ready()) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}:\n${output.join("")}`);
    if (Date.now() > deadline)
      throw new Error(`the app never reported ${workers} workers listening:\n${output.join("")}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${args.join(" ")} exited with ${code}:\n${output}`)),
    );
  });
}
