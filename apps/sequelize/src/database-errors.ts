import type { DatabaseErrorShape } from "@arena/api";

/** The error classes Sequelize gives a connection that failed or never came. */
const UNAVAILABLE_NAMES =
  /^Sequelize(Connection|ConnectionRefused|ConnectionAcquireTimeout|ConnectionTimedOut|HostNotReachable|HostNotFound|AccessDenied)Error$/;
/** sequelize-pool's refusal once the pool is closing. */
const UNAVAILABLE_MESSAGES = /pool is draining/i;

/** How Sequelize reports a database that cannot answer: its own error classes, the driver's error as `parent`/`original`. */
export const databaseErrors: DatabaseErrorShape = {
  nestedKeys: ["parent", "original"],
  recognise(link) {
    const name = typeof link.name === "string" ? link.name : "";
    const message = typeof link.message === "string" ? link.message : "";
    return UNAVAILABLE_NAMES.test(name) || UNAVAILABLE_MESSAGES.test(message) ? "unavailable" : null;
  },
};
