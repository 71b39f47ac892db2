import type { StoreConfig } from "@arena/api";
import { MikroORM } from "@mikro-orm/postgresql";
import type pg from "pg";
import { ormConfig } from "./mikro-orm.config.js";

/** MikroORM over node-postgres (through Kysely), with a pool of `config.poolMax` connections. */
export async function createOrm(config: StoreConfig): Promise<MikroORM> {
  const orm = await MikroORM.init(ormConfig(config));
  releaseLostConnections(await orm.em.getConnection().getNativeClient());
  return orm;
}

/**
 * A connection that dies while a transaction holds it must go back to the pool. MikroORM 7 runs
 * transactions as Kysely's controlled transactions, which release their connection only after a
 * `BEGIN`, `COMMIT` or `ROLLBACK` that succeeded (kysely-org/kysely#1990, open): when PostgreSQL
 * goes away mid-transaction, the dead client stays checked out for ever, and every such loss takes
 * one connection from the pool (and `orm.close()` then waits for them). So every client checked
 * out of MikroORM's `pg.Pool` is given back, as broken, when its connection ends; the release
 * Kysely may still call afterwards does nothing (pg-pool would throw on a second release).
 */
function releaseLostConnections(pool: pg.Pool): void {
  const guarded = new WeakSet<pg.PoolClient>();
  // pg-pool emits `acquire` just before it sets the client's `release` for this checkout.
  pool.on("acquire", (client) => {
    if (guarded.has(client)) return;
    guarded.add(client);
    let release: ((error?: Error | boolean) => void) | undefined;
    const releaseOnce = (error?: Error | boolean) => {
      const pending = release;
      release = undefined;
      pending?.(error);
    };
    Object.defineProperty(client, "release", {
      configurable: true,
      get: () => releaseOnce,
      set: (releaseThisCheckout: typeof release) => {
        release = releaseThisCheckout;
      },
    });
    // Idle clients are already released (`release` is unset): only a checked-out one is given back.
    client.on("end", () => releaseOnce(new Error("the connection ended while checked out")));
  });
}
