import { type DatabaseErrorShape, failureOfCode } from "@arena/api";

/**
 * Prisma's own codes: P1001 can't reach the server, P1002 timed out reaching it, P1008 operation
 * timed out, P1017 server closed the connection, P2024 timed out getting a pooled connection, P2037
 * too many connections.
 */
const UNAVAILABLE_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2037"]);
/** P2028 (transaction API error) covers other mistakes too, so only its two time-outs are matched, by message. */
const UNAVAILABLE_MESSAGES = /unable to start a transaction in the given time/i;
const TIMEOUT_MESSAGES = /cannot be executed on an expired transaction/i;

/**
 * How Prisma reports a database that cannot answer: its own P-codes, and through @prisma/adapter-pg
 * the driver's SQLSTATE as `originalCode`, under `meta.driverAdapterError.cause`.
 */
export const databaseErrors: DatabaseErrorShape = {
  nestedKeys: ["meta", "driverAdapterError"],
  recognise(link) {
    const message = typeof link.message === "string" ? link.message : "";
    if (TIMEOUT_MESSAGES.test(message)) return "timeout";
    const adapterFailure = failureOfCode(link.originalCode);
    if (adapterFailure) return adapterFailure;
    if (typeof link.code === "string" && UNAVAILABLE_CODES.has(link.code)) return "unavailable";
    return UNAVAILABLE_MESSAGES.test(message) ? "unavailable" : null;
  },
};
