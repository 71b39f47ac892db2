/** Probe: an article created (and inserted by the flush) without its title, every other required field given. */
import type { EntityManager } from "@mikro-orm/postgresql";
import { Article } from "../src/entities.js";

export async function insertArticle(em: EntityManager, authorId: number) {
  const article = em.create(
    Article,
    // probe-fix: { slug: "a-slug", title: "A title", description: "about", content: "text", readingMinutes: 1, author: authorId },
    { slug: "a-slug", description: "about", content: "text", readingMinutes: 1, author: authorId }, // probe-mistake
  );
  await em.flush();
  return article;
}
