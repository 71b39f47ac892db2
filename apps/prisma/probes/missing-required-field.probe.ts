/** Probe: an article created without its title (every other required field given). */
import type { PrismaClient } from "../src/generated/prisma/client.js";

export async function createArticle(prisma: PrismaClient, authorId: number) {
  return prisma.article.create({
    // probe-fix: data: { slug: "a-slug", title: "A title", description: "about", content: "text", readingMinutes: 1, authorId },
    data: { slug: "a-slug", description: "about", content: "text", readingMinutes: 1, authorId }, // probe-mistake
  });
}
