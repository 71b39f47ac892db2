import type { StoreConfig } from "@arena/api";
import { MikroORM } from "@mikro-orm/postgresql";
import { ormConfig } from "./mikro-orm.config.js";

/** MikroORM over node-postgres (through knex), with a pool of `config.poolMax` connections. */
export function createOrm(config: StoreConfig): Promise<MikroORM> {
  return MikroORM.init(ormConfig(config));
}
