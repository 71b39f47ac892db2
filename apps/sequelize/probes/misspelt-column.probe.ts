/** Probe: a misspelt column in a filter: `usernme` in `findOne`'s `where`. */
import { User } from "../src/models.js";

export async function findUser(username: string) {
  // probe-fix: return User.findOne({ where: { username }, attributes: ["id"] });
  return User.findOne({ where: { usernme: username }, attributes: ["id"] }); // probe-mistake
}
