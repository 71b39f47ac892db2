/** Probe: a number compared with the text column `username` in the EntityManager's filter query. */
import type { EntityManager } from "@mikro-orm/postgresql";
import { User } from "../src/entities.js";

export async function findUser(em: EntityManager) {
  // probe-fix: return em.findOne(User, { username: "42" });
  return em.findOne(User, { username: 42 }); // probe-mistake
}
