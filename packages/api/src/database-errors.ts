/**
 * Recognises errors that mean "the database cannot answer right now" (it is down, restarting,
 * unreachable, out of connections, or a statement ran past `statement_timeout`), whichever ORM
 * wrapped them, so that the API answers 503 with a clear body instead of a 500.
 *
 * ORMs wrap the node-postgres error in their own types and keep the original under different
 * names (`cause`, TypeORM's `driverError`, Sequelize's `parent`/`original`, Prisma adapter's
 * `cause.originalCode`, MikroORM's `previous`), so the whole chain is searched.
 */
export type DatabaseFailure = "unavailable" | "timeout";

/** SQLSTATEs of a lost or refused connection: class 08, shutdown and "cannot connect now" (57P0x), too many connections. */
const UNAVAILABLE_SQLSTATES = /^(08...|57P01|57P02|57P03|53300)$/;
/** 57014 query_canceled: what `statement_timeout` raises. */
const TIMEOUT_SQLSTATE = "57014";
/** Socket errors of a server that is down or unreachable. */
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
/**
 * Prisma's own codes: P1001 can't reach the server, P1002 timed out reaching it, P1008 operation
 * timed out, P1017 server closed the connection, P2024 timed out getting a pooled connection, P2037
 * too many connections.
 */
const PRISMA_UNAVAILABLE = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2037"]);
/** Error names ORMs give connection failures (Sequelize, MikroORM, knex, TypeORM). */
const UNAVAILABLE_NAMES =
  /^(Sequelize(Connection|ConnectionRefused|ConnectionAcquireTimeout|ConnectionTimedOut|HostNotReachable|HostNotFound|AccessDenied)Error|ConnectionException|KnexTimeoutError|CannotConnectAlreadyConnectedError|ConnectionIsNotSetError)$/;
/** Messages node-postgres and pools use when the connection went away or never came. */
const UNAVAILABLE_MESSAGES =
  /unable to start a transaction in the given time|connection terminated|terminating connection|timeout exceeded when trying to connect|timeout acquiring a connection|client has encountered a connection error|connection is closed|connection refused|server closed the connection|the database system is (starting up|shutting down)|cannot use a pool after calling end|pool is draining|econnrefused|econnreset/i;
/** Prisma's P2028 covers other mistakes too, so only its two time-outs are matched, by message. */
const TIMEOUT_MESSAGES = /canceling statement due to statement timeout|cannot be executed on an expired transaction/i;

/** Prisma keeps the driver adapter's error (with the SQLSTATE as `cause.originalCode`) under `meta.driverAdapterError`. */
const NESTED_KEYS = [
  "cause",
  "driverError",
  "parent",
  "original",
  "previous",
  "originalError",
  "error",
  "meta",
  "driverAdapterError",
] as const;

/** What kind of database failure `error` is, or `null` when it is something else (a bug: 500). */
export function databaseFailure(error: unknown): DatabaseFailure | null {
  let unavailable = false;
  for (const link of errorChain(error)) {
    const code = typeof link.code === "string" ? link.code : undefined;
    const originalCode = typeof link.originalCode === "string" ? link.originalCode : undefined;
    const message = typeof link.message === "string" ? link.message : "";
    if (code === TIMEOUT_SQLSTATE || originalCode === TIMEOUT_SQLSTATE || TIMEOUT_MESSAGES.test(message)) {
      return "timeout";
    }
    if (
      (code !== undefined &&
        (UNAVAILABLE_SQLSTATES.test(code) || SOCKET_CODES.has(code) || PRISMA_UNAVAILABLE.has(code))) ||
      (originalCode !== undefined && (UNAVAILABLE_SQLSTATES.test(originalCode) || SOCKET_CODES.has(originalCode))) ||
      (typeof link.name === "string" && UNAVAILABLE_NAMES.test(link.name)) ||
      UNAVAILABLE_MESSAGES.test(message)
    ) {
      unavailable = true;
    }
  }
  return unavailable ? "unavailable" : null;
}

/** The error and every error nested in it (also inside AggregateError), each once, at most 20. */
function errorChain(error: unknown): Record<string, unknown>[] {
  const seen = new Set<unknown>();
  const chain: Record<string, unknown>[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && chain.length < 20) {
    const next = queue.shift();
    if (next === null || typeof next !== "object" || seen.has(next)) continue;
    seen.add(next);
    const link = next as Record<string, unknown>;
    chain.push(link);
    for (const key of NESTED_KEYS) queue.push(link[key]);
    if (Array.isArray(link.errors)) queue.push(...link.errors);
  }
  return chain;
}
