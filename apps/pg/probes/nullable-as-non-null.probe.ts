/** Probe: users.bio is nullable, but the row type is whatever the caller declares. */
import type pg from "pg";

export async function bioLength(pool: pg.Pool, id: number) {
  // probe-fix: return (await pool.query<{ bio: string | null }>("SELECT bio FROM users WHERE id = $1", [id])).rows[0]?.bio?.length;
  return (await pool.query<{ bio: string }>("SELECT bio FROM users WHERE id = $1", [id])).rows[0]?.bio.length; // probe-mistake
}
