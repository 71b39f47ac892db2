import type { DatabaseErrorShape } from "@arena/api";

/**
 * MikroORM's ConnectionException. MikroORM 7 has no knex pool of its own any more: a pool wait that
 * timed out is node-postgres' own error, which the shared recognition already knows.
 */
const UNAVAILABLE_NAMES = /^ConnectionException$/;

/** How MikroORM reports a database that cannot answer: its exceptions keep the driver's error as `previous`. */
export const databaseErrors: DatabaseErrorShape = {
  nestedKeys: ["previous"],
  recognise(link) {
    const name = typeof link.name === "string" ? link.name : "";
    return UNAVAILABLE_NAMES.test(name) ? "unavailable" : null;
  },
};
