/** Probe: users.bio is nullable (`string | null` on the model), used as a string. */
import { User } from "../src/models.js";

export async function bioLength(id: number) {
  const user = await User.findByPk(id, { attributes: ["bio"] });
  if (!user) return undefined;
  // probe-fix: return user.bio?.length;
  return user.bio.length; // probe-mistake
}
