/** Probe: an article loaded with a populate hint naming a relation that does not exist (`autor` for `author`). */
import type { EntityManager } from "@mikro-orm/postgresql";
import { Article } from "../src/entities.js";

export async function articleWithAuthor(em: EntityManager, slug: string) {
  // probe-fix: return em.findOne(Article, { slug }, { populate: ["author"] });
  return em.findOne(Article, { slug }, { populate: ["autor"] }); // probe-mistake
}
