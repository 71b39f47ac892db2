/** Probe: a misspelt column in a filter: `users.usernme` in the query builder's `where`. */
import { eq } from "drizzle-orm";
import type { Database } from "../src/db.js";
import { users } from "../src/schema.js";

export async function findUser(db: Database, username: string) {
  // probe-fix: const [user] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.usernme, username)); // probe-mistake
  return user;
}
