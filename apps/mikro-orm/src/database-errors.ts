import type { DatabaseErrorShape } from "@arena/api";

/** MikroORM's ConnectionException, and the time-out of the knex pool under it. */
const UNAVAILABLE_NAMES = /^(ConnectionException|KnexTimeoutError)$/;
const UNAVAILABLE_MESSAGES = /timeout acquiring a connection/i;

/** How MikroORM reports a database that cannot answer: its exceptions keep the driver's error as `previous`. */
export const databaseErrors: DatabaseErrorShape = {
  nestedKeys: ["previous"],
  recognise(link) {
    const name = typeof link.name === "string" ? link.name : "";
    const message = typeof link.message === "string" ? link.message : "";
    return UNAVAILABLE_NAMES.test(name) || UNAVAILABLE_MESSAGES.test(message) ? "unavailable" : null;
  },
};
