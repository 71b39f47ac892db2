/** Probe: a number compared with the text column `username` in a where clause. */
import type { PrismaClient } from "../src/generated/prisma/client.js";

export async function findUser(prisma: PrismaClient) {
  // probe-fix: return prisma.user.findFirst({ where: { username: "42" } });
  return prisma.user.findFirst({ where: { username: 42 } }); // probe-mistake
}
