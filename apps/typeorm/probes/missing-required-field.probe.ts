/** Probe: an article created and inserted without its title (every other required field given). */
import type { DataSource } from "typeorm";
import { Article } from "../src/entities/index.js";

export async function insertArticle(dataSource: DataSource, authorId: number) {
  const articles = dataSource.getRepository(Article);
  const article = articles.create({
    slug: "a-slug",
    // probe-fix: title: "A title", description: "about",
    description: "about", // probe-mistake
    content: "text",
    readingMinutes: 1,
    authorId,
  });
  await articles.insert(article);
  return article;
}
