/** Probe: `bio` is nullable (`nullable: true`, declared `string | null`), but is used as a string. */
import type { DataSource } from "typeorm";
import { User } from "../src/entities/index.js";

export async function bioLength(dataSource: DataSource, id: number) {
  const user = await dataSource.getRepository(User).findOneByOrFail({ id });
  // probe-fix: return user.bio?.length;
  return user.bio.length; // probe-mistake
}
