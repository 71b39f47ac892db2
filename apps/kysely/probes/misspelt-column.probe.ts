/** Probe: a misspelt column (`usernme`) in a where clause. */
import type { Kysely } from "kysely";
import type { DB } from "../src/schema.generated.js";

export async function findUser(db: Kysely<DB>, username: string) {
  // probe-fix: return db.selectFrom("users").select("id").where("username", "=", username).executeTakeFirst();
  return db.selectFrom("users").select("id").where("usernme", "=", username).executeTakeFirst(); // probe-mistake
}
