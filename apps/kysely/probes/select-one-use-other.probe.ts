/** Probe: only `username` is selected, then `email` is read from the row. */
import type { Kysely } from "kysely";
import type { DB } from "../src/schema.generated.js";

export async function emailOf(db: Kysely<DB>, id: number) {
  const user = await db.selectFrom("users").select(["username"]).where("id", "=", id).executeTakeFirstOrThrow();
  // probe-fix: return user.username;
  return user.email; // probe-mistake
}
