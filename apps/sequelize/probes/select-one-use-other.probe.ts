/** Probe: only `username` is selected (`attributes`), then `email` is read from the instance. */
import { User } from "../src/models.js";

export async function emailOf(id: number) {
  const user = await User.findByPk(id, { attributes: ["username"] });
  // probe-fix: return user?.username;
  return user?.email; // probe-mistake
}
