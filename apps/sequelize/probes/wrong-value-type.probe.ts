/** Probe: a number compared with the text column `username` in `findOne`'s `where`. */
import { User } from "../src/models.js";

export async function findUser() {
  // probe-fix: return User.findOne({ where: { username: "42" }, attributes: ["id"] });
  return User.findOne({ where: { username: 42 }, attributes: ["id"] }); // probe-mistake
}
