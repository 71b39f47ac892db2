/** Probe: a misspelt column (`usernme`) in the find options' `where`. */
import type { DataSource } from "typeorm";
import { User } from "../src/entities/index.js";

export async function findUser(dataSource: DataSource, username: string) {
  // probe-fix: return dataSource.getRepository(User).findOne({ where: { username } });
  return dataSource.getRepository(User).findOne({ where: { usernme: username } }); // probe-mistake
}
