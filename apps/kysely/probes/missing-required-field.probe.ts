/** Probe: an article inserted without its `title`. */
import type { Kysely } from "kysely";
import type { DB } from "../src/schema.generated.js";

export async function insertArticle(db: Kysely<DB>, authorId: number) {
  await db
    .insertInto("articles")
    // probe-fix: .values({ slug: "a-slug", title: "A title", description: "about", content: "text", reading_minutes: 1, author_id: authorId })
    .values({ slug: "a-slug", description: "about", content: "text", reading_minutes: 1, author_id: authorId }) // probe-mistake
    .execute();
}
