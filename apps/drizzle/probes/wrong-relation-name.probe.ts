/** Probe: loading an article's author by a relation name that does not exist (`autor`). */
import { eq } from "drizzle-orm";
import type { Database } from "../src/db.js";
import { articles } from "../src/schema.js";

export async function articleWithAuthor(db: Database, slug: string) {
  return db.query.articles.findFirst({
    where: eq(articles.slug, slug),
    // probe-fix: with: { author: true },
    with: { autor: true }, // probe-mistake
  });
}
