import { runSql } from "@arena/database";
import pg from "pg";

/**
 * Data written through the schema v1 (plain SQL on the canonical v1 columns, which every app's v1
 * migrations produce), as read back right after: what the upgrade test expects to find after v2.
 */
export interface V1Data {
  users: Row[];
  /** `body` read as `text`, so the v1 and v2 readings compare. */
  articles: ArticleRow[];
  tags: Row[];
  article_tags: Row[];
  favorites: Row[];
  follows: Row[];
  comments: Row[];
}

type Row = Record<string, unknown>;
export interface ArticleRow extends Row {
  id: number;
  text: string;
  reading_minutes?: number;
}

/**
 * Article texts that test the backfill's word count at its edges (200 words is 1 minute, 201 is
 * 2), with tabs, newlines, runs of spaces, leading and trailing blanks, quotes, backslashes,
 * SQL-looking text and non-Latin scripts, and no character that PostgreSQL's `\S` and
 * JavaScript's `\S` could read differently.
 */
function articleTexts(): string[] {
  const words = (count: number, word = "word") => Array.from({ length: count }, (_, i) => `${word}${i}`).join(" ");
  return [
    "one",
    "  leading and trailing blanks  ",
    "tabs\tand\nnew\r\nlines\n\n\nand   runs   of   spaces",
    words(199),
    words(200),
    words(201),
    words(400, "dense"),
    words(401).replaceAll(" ", "\n"),
    words(1234),
    "naïve café 日本語の文章 текст на русском ✓ emoji 🎉 end",
    'it\'s a "quoted" back\\slash; DROP TABLE articles; --',
    `${words(150)}\n\n${words(150, "second")}`,
  ];
}

/** Fills a database at schema v1 with users, follows, articles, tags, favorites and comments. */
export async function fillSchemaV1(databaseUrl: string, passwordHash: string): Promise<V1Data> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    const userIds: number[] = [];
    for (let i = 0; i < 8; i++) {
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO users (email, username, password_hash, bio, image, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
        [
          // Mixed case, unique also in lower case: what v1 allowed and v2 must keep.
          `Writer${i}.V1@Example.COM`,
          `v1writer${i}`,
          passwordHash,
          i % 2 === 0 ? `bio of writer ${i}` : null,
          i % 3 === 0 ? `https://example.com/${i}.png` : null,
          new Date(Date.UTC(2024, 0, 1 + i)),
        ],
      );
      userIds.push((rows[0] as { id: number }).id);
    }
    const at = (list: number[], i: number) => list[i % list.length] as number;
    for (let i = 0; i < userIds.length; i++) {
      for (const step of [1, 3]) {
        await client.query("INSERT INTO follows (follower_id, followee_id) VALUES ($1, $2)", [
          at(userIds, i),
          at(userIds, i + step),
        ]);
      }
    }
    const tagIds: number[] = [];
    for (const name of ["v1-alpha", "v1-beta", "v1-gamma", "v1-ünïcödé"]) {
      const { rows } = await client.query<{ id: number }>("INSERT INTO tags (name) VALUES ($1) RETURNING id", [name]);
      tagIds.push((rows[0] as { id: number }).id);
    }
    const texts = articleTexts();
    for (let i = 0; i < texts.length; i++) {
      const created = new Date(Date.UTC(2024, 1, 1, i));
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO articles (slug, title, description, body, author_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [
          `v1-article-${i}`,
          `V1 article ${i}`,
          `about ${i}`,
          texts[i],
          at(userIds, i),
          created,
          new Date(+created + 60_000),
        ],
      );
      const articleId = (rows[0] as { id: number }).id;
      for (let t = 0; t < i % 3; t++) {
        await client.query("INSERT INTO article_tags (article_id, tag_id) VALUES ($1, $2)", [
          articleId,
          at(tagIds, i + t),
        ]);
      }
      for (let f = 0; f < i % 4; f++) {
        await client.query("INSERT INTO favorites (user_id, article_id) VALUES ($1, $2)", [
          at(userIds, i + f),
          articleId,
        ]);
      }
      for (let c = 0; c < 2; c++) {
        await client.query("INSERT INTO comments (body, article_id, author_id, created_at) VALUES ($1, $2, $3, $4)", [
          `comment ${c} on ${i}: ${texts[(i + c) % texts.length]}`,
          articleId,
          at(userIds, i + c + 1),
          new Date(+created + c * 1000),
        ]);
      }
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    await client.end();
  }
  return {
    users: await readRows(databaseUrl, "users"),
    articles: await readArticles(databaseUrl, "body"),
    tags: await readRows(databaseUrl, "tags"),
    article_tags: await readRows(databaseUrl, "article_tags"),
    favorites: await readRows(databaseUrl, "favorites"),
    follows: await readRows(databaseUrl, "follows"),
    comments: await readRows(databaseUrl, "comments"),
  };
}

/** The columns both schema versions share, in a fixed order. */
const COLUMNS: Record<string, string> = {
  users: "id, email, username, password_hash, bio, image, created_at, updated_at",
  tags: "id, name",
  article_tags: "article_id, tag_id",
  favorites: "user_id, article_id",
  follows: "follower_id, followee_id",
  comments: "id, body, article_id, author_id, created_at, updated_at",
};

/** Every row of a table that v2 leaves unchanged, ordered by its key. */
export async function readRows(databaseUrl: string, table: keyof typeof COLUMNS): Promise<Row[]> {
  return runSql(databaseUrl, `SELECT ${COLUMNS[table]} FROM ${table} ORDER BY 1, 2`);
}

/**
 * Every article with its text read from `body` (v1) or `content` (v2, which adds
 * `reading_minutes`), as `text`, ordered by id. Created by the fixture and by the API alike.
 */
export async function readArticles(databaseUrl: string, column: "body" | "content"): Promise<ArticleRow[]> {
  const minutes = column === "content" ? ", reading_minutes" : "";
  return (await runSql(
    databaseUrl,
    `SELECT id, slug, title, description, ${column} AS text, author_id, created_at, updated_at${minutes}
       FROM articles ORDER BY id`,
  )) as ArticleRow[];
}
