/** Probe: `bio` is nullable (`string | null`), but is used as a string. */
import type { Kysely } from "kysely";
import type { DB } from "../src/schema.generated.js";

export async function bioLength(db: Kysely<DB>, id: number) {
  const user = await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  // probe-fix: return user.bio?.length;
  return user.bio.length; // probe-mistake
}
