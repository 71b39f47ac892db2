/** Probe: a misspelt column (`usernme`) in the EntityManager's filter query. */
import type { EntityManager } from "@mikro-orm/postgresql";
import { User } from "../src/entities.js";

export async function findUser(em: EntityManager, username: string) {
  // probe-fix: return em.findOne(User, { username });
  return em.findOne(User, { usernme: username }); // probe-mistake
}
