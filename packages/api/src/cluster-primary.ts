import cluster, { type Worker } from "node:cluster";
import { stopEmbeddedServer } from "@arena/database";
import type { AppModule } from "./app-module.js";
import { serveStatementSums } from "./cluster-statements.js";
import type { AppConfig } from "./config.js";

/**
 * The cluster primary: forks the workers and serves nothing itself. SIGTERM or SIGINT is passed
 * on as SIGTERM to every worker, which finishes its requests; the primary exits 0 once all have
 * exited cleanly. A worker that dies on its own takes the others down with it (exit 1): a
 * benchmark must not go on measuring a cluster that silently lost a worker.
 */
export function runPrimary(app: AppModule, config: AppConfig, databaseUrl: string): void {
  const alive = new Set<Worker>();
  const listening = new Set<Worker>();
  serveStatementSums(() => [...listening]);
  cluster.on("listening", (worker) => {
    listening.add(worker);
    if (listening.size === config.workers) {
      console.log(
        `${app.name}: Conduit API on http://127.0.0.1:${config.port}/api (${config.workers} workers, pool ${config.poolMax} each)`,
      );
    }
  });

  let stopping = false;
  let failed = false;
  const stopAll = () => {
    for (const worker of alive) worker.process.kill("SIGTERM");
  };
  cluster.on("exit", async (worker, code, signal) => {
    alive.delete(worker);
    listening.delete(worker);
    if (code !== 0) failed = true;
    if (!stopping) {
      console.error(`${app.name}: worker ${worker.id} exited (${signal ?? code}), stopping the others`);
      stopping = true;
      failed = true;
      stopAll();
    }
    if (alive.size > 0) return;
    await stopEmbeddedServer();
    process.exit(failed ? 1 : 0);
  });
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${app.name}: ${signal}, stopping ${config.workers} workers`);
    stopAll();
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);

  for (let i = 0; i < config.workers; i++) alive.add(cluster.fork({ DATABASE_URL: databaseUrl }));
}
