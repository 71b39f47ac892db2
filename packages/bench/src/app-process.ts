import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";

/** An app running as its own process from its built output, as in production. */
export interface AppProcess {
  name: string;
  url: string;
  pid: number;
  /** Peak resident memory (VmHWM) and CPU time so far, read from /proc. */
  usage(): Promise<{ peakRssMb: number; cpuSeconds: number }>;
  /** Statements sent to PostgreSQL so far (the app runs with ARENA_SQL_COUNTER=1). */
  statements(): Promise<number>;
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  dir: string;
  databaseUrl: string;
  port: number;
  poolMax: number;
  jwtSecret: string;
  nodeFlags: string[];
  workers?: number;
}

/** Runs the app's `migrate` (its own migration tool) from its built output against `databaseUrl`. */
export async function migrateApp(dir: string, databaseUrl: string): Promise<void> {
  await run(process.execPath, [join(dir, "dist", "migrate.js")], {
    cwd: dir,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
}

export async function startApp(options: StartOptions): Promise<AppProcess> {
  const child = spawn(process.execPath, [...options.nodeFlags, join(options.dir, "dist", "main.js")], {
    cwd: options.dir,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: options.databaseUrl,
      PORT: String(options.port),
      JWT_SECRET: options.jwtSecret,
      PG_POOL_MAX: String(options.poolMax),
      ARENA_SQL_COUNTER: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 100) output.shift();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const url = `http://127.0.0.1:${options.port}`;
  await waitForHealth(url, child, output);
  const pid = child.pid ?? 0;

  return {
    name: options.name,
    url,
    pid,
    async usage() {
      const status = await readFile(`/proc/${pid}/status`, "utf8");
      const stat = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]?.split(" ") ?? [];
      const ticks = Number(stat[11] ?? 0) + Number(stat[12] ?? 0);
      const peakKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return { peakRssMb: peakKb / 1024, cpuSeconds: ticks / 100 };
    },
    async statements() {
      const response = await fetch(`${url}/__arena/sql`);
      const body = (await response.json()) as { statements: number };
      return body.statements;
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
