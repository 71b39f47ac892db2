/** Probe: users.bio is nullable, used as a string. */
import { eq } from "drizzle-orm";
import type { Database } from "../src/db.js";
import { users } from "../src/schema.js";

export async function bioLength(db: Database, id: number) {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  if (!user) return undefined;
  // probe-fix: return user.bio?.length;
  return user.bio.length; // probe-mistake
}
