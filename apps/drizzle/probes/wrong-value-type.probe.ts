/** Probe: a number compared with the text column `users.username` in `eq`. */
import { eq } from "drizzle-orm";
import type { Database } from "../src/db.js";
import { users } from "../src/schema.js";

export async function findUser(db: Database) {
  // probe-fix: const [user] = await db.select({ id: users.id }).from(users).where(eq(users.username, "42"));
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.username, 42)); // probe-mistake
  return user;
}
