/** Probe: a number compared with the text column `username`. */
import type { Kysely } from "kysely";
import type { DB } from "../src/schema.generated.js";

export async function findUser(db: Kysely<DB>) {
  // probe-fix: return db.selectFrom("users").select("id").where("username", "=", "42").executeTakeFirst();
  return db.selectFrom("users").select("id").where("username", "=", 42).executeTakeFirst(); // probe-mistake
}
