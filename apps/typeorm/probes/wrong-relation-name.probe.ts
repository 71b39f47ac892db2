/** Probe: an article loaded with a relation that does not exist (`autor` for `author`). */
import type { DataSource } from "typeorm";
import { Article } from "../src/entities/index.js";

export async function articleWithAuthor(dataSource: DataSource, slug: string) {
  // probe-fix: return dataSource.getRepository(Article).findOne({ where: { slug }, relations: { author: true } });
  return dataSource.getRepository(Article).findOne({ where: { slug }, relations: { autor: true } }); // probe-mistake
}
