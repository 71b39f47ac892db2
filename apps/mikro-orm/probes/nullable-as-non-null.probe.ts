/** Probe: `bio` is nullable (`p.text().nullable()`), but is used as a string. */
import type { EntityManager } from "@mikro-orm/postgresql";
import { User } from "../src/entities.js";

export async function bioLength(em: EntityManager, id: number) {
  const user = await em.findOneOrFail(User, id);
  // probe-fix: return user.bio?.length;
  return user.bio.length; // probe-mistake
}
