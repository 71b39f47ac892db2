/** Probe: only `username` is selected (`select`), then `email` is read from the result. */
import type { DataSource } from "typeorm";
import { User } from "../src/entities/index.js";

export async function emailOf(dataSource: DataSource, id: number) {
  const user = await dataSource.getRepository(User).findOneOrFail({ where: { id }, select: { username: true } });
  // probe-fix: return user.username;
  return user.email; // probe-mistake
}
