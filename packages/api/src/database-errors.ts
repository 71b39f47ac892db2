/**
 * Recognises errors that mean "the database cannot answer right now" (it is down, restarting,
 * unreachable, out of connections, or a statement ran past `statement_timeout`), so that the API
 * answers 503 with a clear body instead of a 500.
 *
 * This file knows only what every app shares: node-postgres, its pool, PostgreSQL's SQLSTATEs and
 * the socket codes. ORMs wrap the driver's error in their own types and keep the original under
 * their own names, and some have codes of their own: each app describes that in its
 * `src/database-errors.ts` (a {@link DatabaseErrorShape}), passed in through its `AppModule`.
 */
export type DatabaseFailure = "unavailable" | "timeout";

/** One error of the chain, read as a plain record (ORMs attach whatever they like). */
export type ErrorLink = Record<string, unknown>;

/** How one ORM wraps and names database failures: the extension point of {@link databaseFailure}. */
export interface DatabaseErrorShape {
  /** Properties under which this ORM keeps the error it wrapped, searched besides `cause`, `originalError`, `error` and `errors`. */
  nestedKeys?: readonly string[];
  /** What one link of the chain means in this ORM's own terms, or `null` when it says nothing. */
  recognise?(link: ErrorLink): DatabaseFailure | null;
}

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
/** Messages of node-postgres, its pool and PostgreSQL when the connection went away or never came. */
const UNAVAILABLE_MESSAGES =
  /connection terminated|terminating connection|timeout exceeded when trying to connect|client has encountered a connection error|connection is closed|connection refused|server closed the connection|the database system is (starting up|shutting down)|cannot use a pool after calling end|econnrefused|econnreset/i;
const TIMEOUT_MESSAGES = /canceling statement due to statement timeout/i;

/** Where errors keep the error they wrap, whatever wrapped them (the standard `cause` first). */
const GENERIC_KEYS = ["cause", "originalError", "error"] as const;

/** A SQLSTATE or socket code read as a failure, or `null`. */
export function failureOfCode(code: unknown): DatabaseFailure | null {
  if (typeof code !== "string") return null;
  if (code === TIMEOUT_SQLSTATE) return "timeout";
  return UNAVAILABLE_SQLSTATES.test(code) || SOCKET_CODES.has(code) ? "unavailable" : null;
}

/**
 * What kind of database failure `error` is, or `null` when it is something else (a bug: 500).
 * A timeout anywhere in the chain wins over "unavailable".
 */
export function databaseFailure(error: unknown, shape: DatabaseErrorShape = {}): DatabaseFailure | null {
  let unavailable = false;
  for (const link of errorChain(error, shape.nestedKeys ?? [])) {
    const message = typeof link.message === "string" ? link.message : "";
    const failure = failureOfCode(link.code) ?? shape.recognise?.(link) ?? null;
    if (failure === "timeout" || TIMEOUT_MESSAGES.test(message)) return "timeout";
    if (failure === "unavailable" || UNAVAILABLE_MESSAGES.test(message)) unavailable = true;
  }
  return unavailable ? "unavailable" : null;
}

/** The error and every error nested in it (also inside AggregateError), each once, at most 20. */
function errorChain(error: unknown, nestedKeys: readonly string[]): ErrorLink[] {
  const seen = new Set<unknown>();
  const chain: ErrorLink[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && chain.length < 20) {
    const next = queue.shift();
    if (next === null || typeof next !== "object" || seen.has(next)) continue;
    seen.add(next);
    const link = next as ErrorLink;
    chain.push(link);
    for (const key of GENERIC_KEYS) queue.push(link[key]);
    for (const key of nestedKeys) queue.push(link[key]);
    if (Array.isArray(link.errors)) queue.push(...link.errors);
  }
  return chain;
}
