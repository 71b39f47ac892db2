/** Probe: an article loaded with a relation that does not exist (`autor` for `author`). */
import type { PrismaClient } from "../src/generated/prisma/client.js";

export async function articleWithAuthor(prisma: PrismaClient, slug: string) {
  // probe-fix: return prisma.article.findUnique({ where: { slug }, include: { author: true } });
  return prisma.article.findUnique({ where: { slug }, include: { autor: true } }); // probe-mistake
}
