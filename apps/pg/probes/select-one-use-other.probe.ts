/** Probe: the query selects username; the row type claims email. */
import type pg from "pg";

export async function emailOf(pool: pg.Pool, id: number) {
  // probe-fix: return (await pool.query<{ email: string }>("SELECT email FROM users WHERE id = $1", [id])).rows[0]?.email;
  return (await pool.query<{ email: string }>("SELECT username FROM users WHERE id = $1", [id])).rows[0]?.email; // probe-mistake
}
