/** Probe: `bio` is nullable (`String?`), but is used as a string. */
import type { PrismaClient } from "../src/generated/prisma/client.js";

export async function bioLength(prisma: PrismaClient, id: number) {
  const user = await prisma.user.findUniqueOrThrow({ where: { id } });
  // probe-fix: return user.bio?.length;
  return user.bio.length; // probe-mistake
}
