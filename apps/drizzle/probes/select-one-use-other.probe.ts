/** Probe: the relational query selects only `username` (`columns`); the code reads `email`. */
import { eq } from "drizzle-orm";
import type { Database } from "../src/db.js";
import { users } from "../src/schema.js";

export async function emailOf(db: Database, id: number) {
  const user = await db.query.users.findFirst({ columns: { username: true }, where: eq(users.id, id) });
  // probe-fix: return user?.username;
  return user?.email; // probe-mistake
}
