/** Probe: an article created without its title (`title` is NOT NULL with no default). */
import { Article } from "../src/models.js";

export async function createArticle(authorId: number) {
  return Article.create(
    // probe-fix: { slug: "a-slug", title: "A title", description: "about", content: "text", readingMinutes: 1, authorId },
    { slug: "a-slug", description: "about", content: "text", readingMinutes: 1, authorId }, // probe-mistake
  );
}
