/** Probe: a number compared with a text column. Parameters are `unknown[]` to node-postgres. */
import type pg from "pg";

export async function findUser(pool: pg.Pool) {
  // probe-fix: const { rows } = await pool.query<{ id: number }>("SELECT id FROM users WHERE username = $1", ["42"]);
  const { rows } = await pool.query<{ id: number }>("SELECT id FROM users WHERE username = $1", [42]); // probe-mistake
  return rows[0];
}
