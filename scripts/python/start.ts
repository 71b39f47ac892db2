/**
 * `npm start` of every Python app (run in the app's folder): what packages/api/src/server.ts does
 * for a TypeScript app, around the manifest's Python commands. Without DATABASE_URL it starts an
 * embedded PostgreSQL (@arena/database), creates a fresh database, migrates it with the manifest's
 * `migrate` command, serves it with the manifest's `start` command, and stops PostgreSQL once the
 * app has exited. With DATABASE_URL it only runs `start`. SIGTERM and SIGINT go to the app, which
 * finishes its requests and exits; this process then exits with the app's code.
 *
 * The manifest's `start` stays the bare Python command: the bench and the suites run it with their
 * own DATABASE_URL, and never through this launcher.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createFreshDatabase, stopEmbeddedServer } from "@arena/database";
import { readManifest } from "@arena/manifest";
import { findPython } from "./python.mjs";

const appDir = process.cwd();
const manifest = await readManifest(appDir);
if (!manifest) fail(`${appDir} has no arena.json: run \`npm start\` in a Python app's folder`);
const name = manifest.name;

const interpreter = manifest.commands.start.split(" ")[0] as string;
if (!existsSync(interpreter)) {
  const python = findPython();
  fail(
    python.command
      ? `${name}: ${interpreter} is missing: build the app's environment first (\`npm run build\`)`
      : `${name}: cannot start: ${python.reason}`,
  );
}

let app: ChildProcess | undefined;
let stopping: NodeJS.Signals | undefined;
const onSignal = (signal: NodeJS.Signals) => {
  stopping ??= signal;
  // Before the app runs (PostgreSQL starting, migrations) there is nothing to drain: clean up and go.
  if (app) app.kill(signal);
  else void stopEmbeddedServer().finally(() => process.exit(128 + signalNumber(signal)));
};
process.on("SIGTERM", onSignal);
process.on("SIGINT", onSignal);

let databaseUrl = process.env.DATABASE_URL || undefined;
if (!databaseUrl) {
  const database = await createFreshDatabase({ prefix: name });
  const migrated = await run(manifest.commands.migrate, { DATABASE_URL: database.url });
  if (migrated.code !== 0) {
    await stopEmbeddedServer();
    fail(`${name}: \`${manifest.commands.migrate}\` exited with ${migrated.code ?? migrated.signal}`);
  }
  console.log(`${name}: started an embedded PostgreSQL and migrated it (${database.url})`);
  databaseUrl = database.url;
}

if (stopping === undefined) {
  const served = await run(manifest.commands.start, { DATABASE_URL: databaseUrl }, (child) => {
    app = child;
  });
  await stopEmbeddedServer();
  process.exit(served.code ?? 128 + signalNumber(served.signal ?? "SIGTERM"));
}

/**
 * A manifest command in the app's folder, through the shell as the suites run it (`exec`, so the
 * signals this process forwards reach Python itself). Its own process group, so that a terminal's
 * Ctrl-C reaches it once, from here, rather than twice.
 */
function run(
  command: string,
  env: Record<string, string>,
  started?: (child: ChildProcess) => void,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const child = spawn("sh", ["-c", `exec ${command}`], {
    cwd: appDir,
    env: { ...process.env, ...env },
    stdio: "inherit",
    detached: true,
  });
  // If this process dies without forwarding a signal, the app must not outlive it.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  started?.(child);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      process.removeListener("exit", killOnExit);
      resolve({ code, signal });
    });
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return signal === "SIGINT" ? 2 : 15;
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
