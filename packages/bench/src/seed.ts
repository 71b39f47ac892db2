import { readingMinutes } from "@arena/api";
import pg from "pg";
import type { Dataset } from "./dataset.js";

/** The canonical schema's tables, which the data set fills (the migration tools' own tables are left alone). */
const DATA_TABLES = ["comments", "favorites", "follows", "article_tags", "articles", "tags", "users"];

/**
 * Loads the data set into a migrated database with plain SQL (the canonical schema's column names
 * are the same in every app), one `INSERT ... SELECT FROM unnest(...)` per table, then moves the
 * id sequences past the loaded ids and refreshes the planner's statistics. With `reset`, the data
 * tables are emptied first in the same transaction, so a database that served a run (whose writes
 * added rows) holds exactly the data set again: how a running target is made comparable.
 */
export async function seedDatabase(
  databaseUrl: string,
  data: Dataset,
  passwordHash: string,
  options: { reset?: boolean } = {},
): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const column = <T, V>(rows: T[], pick: (row: T) => V) => rows.map(pick);
  try {
    await client.query("BEGIN");
    if (options.reset) await client.query(`TRUNCATE ${DATA_TABLES.join(", ")} RESTART IDENTITY`);
    await client.query(
      `INSERT INTO users (id, username, email, password_hash, bio, image)
       SELECT id, username, email, $4, bio, image
         FROM unnest($1::int[], $2::text[], $3::text[], $5::text[], $6::text[]) AS t(id, username, email, bio, image)`,
      [
        column(data.users, (u) => u.id),
        column(data.users, (u) => u.username),
        column(data.users, (u) => u.email),
        passwordHash,
        column(data.users, (u) => u.bio),
        column(data.users, (u) => u.image),
      ],
    );
    await client.query("INSERT INTO tags (id, name) SELECT * FROM unnest($1::int[], $2::text[])", [
      column(data.tags, (t) => t.id),
      column(data.tags, (t) => t.name),
    ]);
    await client.query(
      `INSERT INTO articles (id, slug, title, description, content, reading_minutes, author_id, created_at, updated_at)
       SELECT id, slug, title, description, content, reading_minutes, author_id, created_at, created_at
         FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::timestamptz[])
           AS t(id, slug, title, description, content, reading_minutes, author_id, created_at)`,
      [
        column(data.articles, (a) => a.id),
        column(data.articles, (a) => a.slug),
        column(data.articles, (a) => a.title),
        column(data.articles, (a) => a.description),
        column(data.articles, (a) => a.body),
        column(data.articles, (a) => readingMinutes(a.body)),
        column(data.articles, (a) => a.authorId),
        column(data.articles, (a) => a.createdAt),
      ],
    );
    await client.query("INSERT INTO article_tags (article_id, tag_id) SELECT * FROM unnest($1::int[], $2::int[])", [
      column(data.articleTags, (r) => r.articleId),
      column(data.articleTags, (r) => r.tagId),
    ]);
    await client.query("INSERT INTO follows (follower_id, followee_id) SELECT * FROM unnest($1::int[], $2::int[])", [
      column(data.follows, (r) => r.followerId),
      column(data.follows, (r) => r.followeeId),
    ]);
    await client.query("INSERT INTO favorites (user_id, article_id) SELECT * FROM unnest($1::int[], $2::int[])", [
      column(data.favorites, (r) => r.userId),
      column(data.favorites, (r) => r.articleId),
    ]);
    await client.query(
      `INSERT INTO comments (id, body, article_id, author_id, created_at, updated_at)
       SELECT id, body, article_id, author_id, created_at, created_at
         FROM unnest($1::int[], $2::text[], $3::int[], $4::int[], $5::timestamptz[]) AS t(id, body, article_id, author_id, created_at)`,
      [
        column(data.comments, (c) => c.id),
        column(data.comments, (c) => c.body),
        column(data.comments, (c) => c.articleId),
        column(data.comments, (c) => c.authorId),
        column(data.comments, (c) => c.createdAt),
      ],
    );
    for (const table of ["users", "tags", "articles", "comments"]) {
      await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
    }
    await client.query("COMMIT");
    // Autovacuum may be off (the bench turns it off): set the visibility map and statistics now.
    await client.query("VACUUM (ANALYZE)");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
