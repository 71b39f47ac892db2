/** Probe: a misspelt column (`usernme`) in a `findFirst` where clause. */
import type { PrismaClient } from "../src/generated/prisma/client.js";

export async function findUser(prisma: PrismaClient, username: string) {
  // probe-fix: return prisma.user.findFirst({ where: { username } });
  return prisma.user.findFirst({ where: { usernme: username } }); // probe-mistake
}
