/** Probe: a misspelt column in a filter. The SQL is a string: tsc cannot see inside it. */
import type pg from "pg";

export async function findUser(pool: pg.Pool, username: string) {
  // probe-fix: const { rows } = await pool.query<{ id: number }>("SELECT id FROM users WHERE username = $1", [username]);
  const { rows } = await pool.query<{ id: number }>("SELECT id FROM users WHERE usernme = $1", [username]); // probe-mistake
  return rows[0];
}
