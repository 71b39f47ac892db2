import pg from "pg";

/** What one measured piece of work sent to PostgreSQL. */
export interface QueryCount<T> {
  result: T;
  /** Statements sent: every `Client#query` call, including BEGIN, COMMIT and SET. */
  count: number;
  /** Their SQL text, in order, to explain a count. */
  statements: string[];
}

type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;

const recorders = new Set<string[]>();
let installed = false;
let total = 0;

/**
 * Wraps node-postgres' `Client.prototype.query`, the one door every app's SQL goes through,
 * whatever ORM sits on top (pools, adapters and query builders all end in a client's query call).
 * It costs an increment and one Set check per statement while nothing is being measured.
 */
export function installQueryCounter(): void {
  if (installed) return;
  installed = true;
  const original = pg.Client.prototype.query as unknown as QueryFn;
  const counting: QueryFn = function (this: pg.Client, ...args: unknown[]) {
    total++;
    if (recorders.size > 0) {
      const text = statementText(args[0]);
      for (const recorder of recorders) recorder.push(text);
    }
    return original.apply(this, args);
  };
  (pg.Client.prototype as unknown as { query: QueryFn }).query = counting;
}

/**
 * Runs `work` and reports the statements sent while it ran. Statements from concurrent work in the
 * same process are counted too, so measure one request at a time.
 */
export async function countQueries<T>(work: () => Promise<T>): Promise<QueryCount<T>> {
  installQueryCounter();
  const statements: string[] = [];
  recorders.add(statements);
  try {
    const result = await work();
    return { result, count: statements.length, statements };
  } finally {
    recorders.delete(statements);
  }
}

function statementText(config: unknown): string {
  if (typeof config === "string") return config;
  if (config && typeof config === "object" && "text" in config) return String(config.text);
  return String(config);
}

/** Statements sent by this process since the counter was installed (the benchmark reads it under load). */
export function statementTotal(): number {
  return total;
}
