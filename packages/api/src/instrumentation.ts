import { Hono } from "hono";

/**
 * The load comparison's instrumentation, mounted at `/__arena` only when the process counts its SQL
 * (ARENA_SQL_COUNTER=1): `GET /__arena/sql` answers the statements sent so far (the whole
 * cluster's with workers) how many workers serve and on which Node, so statements per request can be measured
 * under load. A sub-app of its own, apart from the API's routes.
 */
export function instrumentationRoutes(statementCount: () => number | Promise<number>, workers: number): Hono {
  // `node`: the runtime this app serves on, which the bench records for every app, spawned or a target.
  return new Hono().get("/sql", async (c) =>
    c.json({ statements: await statementCount(), workers, node: process.version }),
  );
}
