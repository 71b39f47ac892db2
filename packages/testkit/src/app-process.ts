import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { SchemaVersion } from "@arena/api";
import { findFreePort } from "@arena/database";
import { type DiscoveredApp, readManifest } from "@arena/manifest";

/** An app serving as its own process, started from its manifest's commands. */
export interface AppProcess {
  /** Its base URL, e.g. `http://127.0.0.1:41234` (the API is under `/api`). */
  url: string;
  /** What it printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
  stop(): Promise<void>;
}

const START_BOUND_MS = 60_000;

/**
 * Runs the app's migrate command (`migrateFromSource`, or `migrate` when `built`) on
 * `databaseUrl`: the app's own migration tool, whatever language the app is written in. With `to`,
 * up to that schema version (`--to v1`); with `rollback`, its down migrations back to `to`
 * (`--rollback --to v1`): the command-line contract of docs/architecture.md.
 */
export async function migrateByManifest(
  app: DiscoveredApp,
  databaseUrl: string,
  options: { built?: boolean; to?: SchemaVersion; rollback?: boolean } = {},
): Promise<void> {
  const command = options.built ? app.manifest.commands.migrate : app.manifest.commands.migrateFromSource;
  const args = [...(options.rollback ? ["--rollback"] : []), ...(options.to ? ["--to", options.to] : [])];
  const child = runCommand(app, [command, ...args].join(" "), { DATABASE_URL: databaseUrl });
  const output = collect(child);
  const code = await new Promise<number | null>((resolve) => child.once("exit", (exitCode) => resolve(exitCode)));
  if (code !== 0) {
    throw new Error(`${app.manifest.name}: migrate ${args.join(" ")} exited with ${code}:\n${output.text}`);
  }
}

/**
 * Starts the app with its start command (`startFromSource`, or `start` when `built`) on a free
 * port, serving `databaseUrl`, and waits until `/healthz` answers. This is how the suites reach an
 * app by URL: the path apps in other languages take.
 */
export async function startByManifest(
  app: DiscoveredApp,
  options: { databaseUrl: string; jwtSecret: string; built?: boolean; env?: Record<string, string> },
): Promise<AppProcess> {
  const port = await findFreePort();
  const command = options.built ? app.manifest.commands.start : app.manifest.commands.startFromSource;
  const child = runCommand(app, command, {
    NODE_ENV: "production",
    DATABASE_URL: options.databaseUrl,
    PORT: String(port),
    JWT_SECRET: options.jwtSecret,
    ...options.env,
  });
  const output = collect(child);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + START_BOUND_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${app.manifest.name} exited with ${child.exitCode}:\n${output.text}`);
    const healthy = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${app.manifest.name} was not healthy within ${START_BOUND_MS} ms:\n${output.text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, output: () => output.text, stop };
}

/** A manifest command through the shell, in the app's folder; `exec` so that signals reach the app itself. */
export function runCommand(app: DiscoveredApp, command: string, env: Record<string, string>): ChildProcess {
  const child = spawn("sh", ["-c", `exec ${command}`], {
    cwd: app.dir,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // A test run that is stopped must not leave its apps behind.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.removeListener("exit", killOnExit));
  return child;
}

export function collect(child: ChildProcess): { text: string } {
  const output = { text: "" };
  const keep = (chunk: Buffer) => {
    output.text = (output.text + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return output;
}

/** The app whose folder is `dir` (a test file's `new URL("..", import.meta.url)`), read from its manifest. */
export async function appAt(dir: URL): Promise<DiscoveredApp> {
  const path = fileURLToPath(dir);
  const manifest = await readManifest(path);
  if (!manifest) throw new Error(`${path} has no arena.json`);
  return { dir: path.replace(/\/$/, ""), manifest };
}
