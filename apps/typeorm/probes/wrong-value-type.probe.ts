/** Probe: a number compared with the text column `username` in the find options' `where`. */
import type { DataSource } from "typeorm";
import { User } from "../src/entities/index.js";

export async function findUser(dataSource: DataSource) {
  // probe-fix: return dataSource.getRepository(User).findOne({ where: { username: "42" } });
  return dataSource.getRepository(User).findOne({ where: { username: 42 } }); // probe-mistake
}
