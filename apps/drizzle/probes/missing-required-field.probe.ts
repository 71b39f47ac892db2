/** Probe: an article inserted without its title (`articles.title` is NOT NULL with no default). */
import type { Database } from "../src/db.js";
import { articles } from "../src/schema.js";

export async function insertArticle(db: Database, authorId: number) {
  await db
    .insert(articles)
    // probe-fix: .values({ slug: "a-slug", title: "A title", description: "about", content: "text", readingMinutes: 1, authorId });
    .values({ slug: "a-slug", description: "about", content: "text", readingMinutes: 1, authorId }); // probe-mistake
}
