/** Probe: only `username` is selected, then `email` is read from the result. */
import type { PrismaClient } from "../src/generated/prisma/client.js";

export async function emailOf(prisma: PrismaClient, id: number) {
  const user = await prisma.user.findUniqueOrThrow({ where: { id }, select: { username: true } });
  // probe-fix: return user.username;
  return user.email; // probe-mistake
}
