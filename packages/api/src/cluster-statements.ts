import cluster, { type Worker } from "node:cluster";

// With WORKERS > 1 each worker counts its own SQL statements, but `GET /__arena/sql` lands on one
// worker. That worker asks the primary, which asks every listening worker for its count over IPC
// and answers with the sum, so the benchmark reads the whole cluster's statements, as with one
// process. The benchmark reads between load runs, when no statement is in flight.

type Message =
  | { arena: "sql-sum?"; id: number }
  | { arena: "sql-sum"; id: number; total: number }
  | { arena: "sql-count?"; id: number }
  | { arena: "sql-count"; id: number; count: number };

const isArenaMessage = (value: unknown): value is Message =>
  typeof value === "object" && value !== null && "arena" in value && "id" in value;

/** In the primary: answers workers' `sql-sum?` with the sum of every listening worker's count. */
export function serveStatementSums(listening: () => Worker[]): void {
  let next = 0;
  const pending = new Map<number, { asker: Worker; waiting: number; total: number; askerId: number }>();
  cluster.on("message", (worker, message: unknown) => {
    if (!isArenaMessage(message)) return;
    if (message.arena === "sql-sum?") {
      const workers = listening();
      const id = next++;
      pending.set(id, { asker: worker, waiting: workers.length, total: 0, askerId: message.id });
      for (const each of workers) each.send({ arena: "sql-count?", id } satisfies Message);
    } else if (message.arena === "sql-count") {
      const sum = pending.get(message.id);
      if (!sum) return;
      sum.total += message.count;
      sum.waiting--;
      if (sum.waiting > 0) return;
      pending.delete(message.id);
      sum.asker.send({ arena: "sql-sum", id: sum.askerId, total: sum.total } satisfies Message);
    }
  });
}

/**
 * In a worker: answers the primary's `sql-count?` with this process's count, and returns the
 * function the `/__arena/sql` route calls to get the cluster-wide total.
 */
export function clusterStatementTotal(localTotal: () => number): () => Promise<number> {
  let next = 0;
  const waiting = new Map<number, (total: number) => void>();
  process.on("message", (message: unknown) => {
    if (!isArenaMessage(message)) return;
    if (message.arena === "sql-count?") {
      process.send?.({ arena: "sql-count", id: message.id, count: localTotal() } satisfies Message);
    } else if (message.arena === "sql-sum") {
      waiting.get(message.id)?.(message.total);
      waiting.delete(message.id);
    }
  });
  return () =>
    new Promise((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      process.send?.({ arena: "sql-sum?", id } satisfies Message);
    });
}
