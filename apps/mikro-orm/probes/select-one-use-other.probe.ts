/** Probe: only `username` is loaded (`fields`, partial loading), then `email` is read from the result. */
import type { EntityManager } from "@mikro-orm/postgresql";
import { User } from "../src/entities.js";

export async function emailOf(em: EntityManager, id: number) {
  const user = await em.findOneOrFail(User, id, { fields: ["username"] });
  // probe-fix: return user.username;
  return user.email; // probe-mistake
}
