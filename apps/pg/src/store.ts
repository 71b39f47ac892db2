import {
  type ArticleChanges,
  type ArticleFilter,
  type ArticlePage,
  type ArticleRecord,
  type ArticleSummaryRecord,
  type CommentRecord,
  type ConduitStore,
  ConflictError,
  conflictFieldOf,
  type NewArticleRecord,
  type Page,
  type ProfileRecord,
  type StoreConfig,
  type UserChanges,
  type UserCredentials,
  type UserRecord,
} from "@arena/api";
import pg from "pg";
import { createPool } from "./db.js";

/**
 * The raw baseline: hand-written SQL over node-postgres, each use case in the fewest round trips
 * a careful engineer would write. Every other app is compared with this one.
 */
export function createStore(config: StoreConfig): ConduitStore {
  const pool = createPool(config);

  /** Runs `work` in a transaction on one pooled connection. */
  async function transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * `name` makes it a named prepared statement: node-postgres parses it once per connection, then
   * only binds values. The baseline prepares exactly the queries an ORM app of the arena prepares
   * (Drizzle's `.prepare()`), so it stays the floor.
   */
  async function articleWhere(
    name: string,
    where: string,
    values: unknown[],
    viewerId: number | null,
  ): Promise<ArticleRecord | null> {
    const { rows } = await pool.query<ArticleRow>({
      name,
      text: `${ARTICLE_SELECT} WHERE ${where}`,
      values: [viewerId, ...values],
    });
    return rows[0] ? toArticle(rows[0]) : null;
  }

  /**
   * One statement for a page and the count of all matches, whatever the filters: a named prepared
   * statement per filter shape (`shape` names which filters the conditions hold). `pageOnly` adds
   * conditions to the paged rows but not to the count (they get the limit and offset parameters).
   */
  async function page(
    shape: string,
    conditions: string[],
    values: unknown[],
    { limit, offset }: Page,
    viewerId: number | null,
    pageOnly: (limit: string, offset: string) => string[] = () => [],
  ): Promise<ArticlePage> {
    const where = conditions.length > 0 ? conditions.join(" AND ") : "true";
    const n = values.length + 2;
    const pageWhere = [where, ...pageOnly(`$${n}`, `$${n + 1}`)].join(" AND ");
    const { rows } = await pool.query<ArticleRow & { total: number }>({
      name: `pg_articles_${shape}`,
      text: `SELECT total.count AS total, ${ARTICLE_COLUMNS}
         FROM (SELECT count(*)::int AS count FROM articles a WHERE ${where}) total
         LEFT JOIN (
           SELECT a.* FROM articles a WHERE ${pageWhere}
            ORDER BY a.created_at DESC, a.id DESC LIMIT $${n} OFFSET $${n + 1}
         ) a ON true
         LEFT JOIN users u ON u.id = a.author_id
        ORDER BY a.created_at DESC, a.id DESC`,
      values: [viewerId, ...values, limit, offset],
    });
    return {
      articles: rows.filter((row) => row.id !== null).map(toArticleSummary),
      articlesCount: rows[0]?.total ?? 0,
    };
  }

  async function replaceTags(client: pg.PoolClient, articleId: number, tags: string[]): Promise<void> {
    if (tags.length === 0) return;
    // Two statements on purpose: the second one's snapshot sees tags that a concurrent request
    // inserted (and that made this insert skip them), so no tag is ever lost. Sorted names keep
    // concurrent inserts from deadlocking.
    await client.query("INSERT INTO tags (name) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT (name) DO NOTHING", [
      [...tags].sort(),
    ]);
    await client.query(
      "INSERT INTO article_tags (article_id, tag_id) SELECT $1, id FROM tags WHERE name = ANY($2::text[])",
      [articleId, tags],
    );
  }

  return {
    // --- Users -----------------------------------------------------------------------------------

    async createUser(user) {
      try {
        const { rows } = await pool.query<UserRecord>(
          `INSERT INTO users (username, email, password_hash) VALUES ($1, $2, $3) RETURNING ${USER_COLUMNS}`,
          [user.username, user.email, user.passwordHash],
        );
        return rows[0] as UserRecord;
      } catch (error) {
        throw asConflict(error);
      }
    },

    async findCredentialsByEmail(email) {
      const { rows } = await pool.query<UserCredentials>(
        `SELECT ${USER_COLUMNS}, password_hash AS "passwordHash" FROM users WHERE lower(email) = lower($1)`,
        [email],
      );
      return rows[0] ?? null;
    },

    async findUserById(id) {
      const { rows } = await pool.query<UserRecord>({
        name: "pg_user_by_id",
        text: `SELECT ${USER_COLUMNS} FROM users WHERE id = $1`,
        values: [id],
      });
      return rows[0] ?? null;
    },

    async updateUser(id, changes) {
      const columns: Record<keyof UserChanges, string> = {
        email: "email",
        username: "username",
        passwordHash: "password_hash",
        bio: "bio",
        image: "image",
      };
      const sets: string[] = [];
      const values: unknown[] = [id];
      for (const [key, column] of Object.entries(columns) as [keyof UserChanges, string][]) {
        if (changes[key] === undefined) continue;
        values.push(changes[key]);
        sets.push(`${column} = $${values.length}`);
      }
      try {
        const { rows } = await pool.query<UserRecord>(
          `UPDATE users SET ${[...sets, "updated_at = now()"].join(", ")} WHERE id = $1 RETURNING ${USER_COLUMNS}`,
          values,
        );
        return rows[0] ?? null;
      } catch (error) {
        throw asConflict(error);
      }
    },

    // --- Profiles --------------------------------------------------------------------------------

    async getProfile(username, viewerId) {
      const { rows } = await pool.query<ProfileRecord>({
        name: "pg_profile_by_username",
        text: `SELECT u.username, u.bio, u.image,
                EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $2 AND f.followee_id = u.id) AS following
           FROM users u WHERE u.username = $1`,
        values: [username, viewerId],
      });
      return rows[0] ?? null;
    },

    async followUser(followerId, username) {
      const { rows } = await pool.query<ProfileRecord>(
        `WITH target AS (SELECT id, username, bio, image FROM users WHERE username = $2),
              followed AS (
                INSERT INTO follows (follower_id, followee_id) SELECT $1, id FROM target
                ON CONFLICT DO NOTHING
              )
         SELECT username, bio, image, true AS following FROM target`,
        [followerId, username],
      );
      return rows[0] ?? null;
    },

    async unfollowUser(followerId, username) {
      const { rows } = await pool.query<ProfileRecord>(
        `WITH target AS (SELECT id, username, bio, image FROM users WHERE username = $2),
              unfollowed AS (
                DELETE FROM follows f USING target WHERE f.follower_id = $1 AND f.followee_id = target.id
              )
         SELECT username, bio, image, false AS following FROM target`,
        [followerId, username],
      );
      return rows[0] ?? null;
    },

    // --- Articles --------------------------------------------------------------------------------

    async listArticles(filter: ArticleFilter, viewerId) {
      const conditions: string[] = [];
      const values: unknown[] = [];
      const param = (value: unknown) => {
        values.push(value);
        return `$${values.length + 1}`;
      };
      if (filter.tag !== undefined) {
        conditions.push(
          `a.id IN (SELECT at.article_id FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE t.name = ${param(filter.tag)})`,
        );
      }
      if (filter.author !== undefined) {
        conditions.push(`a.author_id = (SELECT id FROM users WHERE username = ${param(filter.author)})`);
      }
      if (filter.favorited !== undefined) {
        conditions.push(
          `a.id IN (SELECT fv.article_id FROM favorites fv JOIN users fu ON fu.id = fv.user_id WHERE fu.username = ${param(filter.favorited)})`,
        );
      }
      const shape = ["tag", "author", "favorited"].filter((key) => filter[key as keyof ArticleFilter] !== undefined);
      return page(shape.join("_") || "all", conditions, values, filter, viewerId);
    },

    async listFeed(pageRequest, viewerId) {
      // Measured shape (README, "Feed shape, measured"): `IN (SELECT ...)` let PostgreSQL walk the
      // created_at index probing follows per article, and a plain `= ANY (ARRAY(...))` reads every
      // article of every followee from the heap (one page each) to sort them. Here the oldest date
      // the page can reach comes from the (author_id, created_at) index alone, so only the page's
      // rows (and ties on that date) are read from the heap. With fewer matches than
      // `offset + limit`, min() is the oldest of them all: every match is kept.
      const followees = "ARRAY(SELECT followee_id FROM follows WHERE follower_id = $1)";
      return page("feed", [`a.author_id = ANY (${followees})`], [], pageRequest, viewerId, (limit, offset) => [
        `a.created_at >= (
           SELECT min(x.created_at) FROM (
             SELECT x.created_at FROM articles x WHERE x.author_id = ANY (${followees})
              ORDER BY x.created_at DESC LIMIT ${limit}::bigint + ${offset}::bigint) x)`,
      ]);
    },

    async getArticle(slug, viewerId) {
      return articleWhere("pg_article_by_slug", "a.slug = $2", [slug], viewerId);
    },

    async findArticleOwner(slug) {
      const { rows } = await pool.query<{ articleId: number; authorId: number }>(
        `SELECT id AS "articleId", author_id AS "authorId" FROM articles WHERE slug = $1`,
        [slug],
      );
      return rows[0] ?? null;
    },

    async createArticle(authorId, article: NewArticleRecord) {
      const articleId = await transaction(async (client) => {
        let inserted: pg.QueryResult<{ id: number }>;
        try {
          inserted = await client.query<{ id: number }>(
            `INSERT INTO articles (slug, title, description, content, reading_minutes, author_id)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
            [article.slug, article.title, article.description, article.body, article.readingMinutes, authorId],
          );
        } catch (error) {
          throw asConflict(error);
        }
        const id = (inserted.rows[0] as { id: number }).id;
        await replaceTags(client, id, article.tagList);
        return id;
      });
      return (await articleWhere("pg_article_by_id", "a.id = $2", [articleId], authorId)) as ArticleRecord;
    },

    async updateArticle(articleId, changes: ArticleChanges, viewerId) {
      const sets: string[] = ["updated_at = now()"];
      const values: unknown[] = [articleId];
      const columns = {
        title: "title",
        description: "description",
        body: "content",
        readingMinutes: "reading_minutes",
      };
      for (const [field, column] of Object.entries(columns) as [keyof typeof columns, string][]) {
        if (changes[field] === undefined) continue;
        values.push(changes[field]);
        sets.push(`${column} = $${values.length}`);
      }
      const update = `UPDATE articles SET ${sets.join(", ")} WHERE id = $1`;
      const { tagList } = changes;
      if (tagList === undefined) {
        await pool.query(update, values);
      } else {
        await transaction(async (client) => {
          await client.query(update, values);
          await client.query("DELETE FROM article_tags WHERE article_id = $1", [articleId]);
          await replaceTags(client, articleId, tagList);
        });
      }
      return (await articleWhere("pg_article_by_id", "a.id = $2", [articleId], viewerId)) as ArticleRecord;
    },

    async deleteArticle(articleId) {
      // Comments, favorites and tag links go with it: ON DELETE CASCADE.
      await pool.query("DELETE FROM articles WHERE id = $1", [articleId]);
    },

    // --- Favorites -------------------------------------------------------------------------------

    async favoriteArticle(slug, userId) {
      await pool.query(
        "INSERT INTO favorites (user_id, article_id) SELECT $1, id FROM articles WHERE slug = $2 ON CONFLICT DO NOTHING",
        [userId, slug],
      );
      return articleWhere("pg_article_by_slug", "a.slug = $2", [slug], userId);
    },

    async unfavoriteArticle(slug, userId) {
      await pool.query(
        "DELETE FROM favorites fv USING articles a WHERE fv.user_id = $1 AND fv.article_id = a.id AND a.slug = $2",
        [userId, slug],
      );
      return articleWhere("pg_article_by_slug", "a.slug = $2", [slug], userId);
    },

    // --- Comments --------------------------------------------------------------------------------

    async listComments(slug, viewerId) {
      // The article joins left, so an article without comments still answers with one row.
      const { rows } = await pool.query<CommentRow & { id: number | null }>({
        name: "pg_comments_by_slug",
        text: `SELECT ${COMMENT_COLUMNS}
           FROM articles a
           LEFT JOIN comments c ON c.article_id = a.id
           LEFT JOIN users u ON u.id = c.author_id
          WHERE a.slug = $2
          ORDER BY c.created_at DESC, c.id DESC`,
        values: [viewerId, slug],
      });
      if (rows.length === 0) return null;
      return rows.filter((row): row is CommentRow => row.id !== null).map(toComment);
    },

    async addComment(slug, authorId, body) {
      const { rows } = await pool.query<CommentRow>(
        `WITH c AS (
           INSERT INTO comments (body, article_id, author_id)
           SELECT $3, id, $1 FROM articles WHERE slug = $2
           RETURNING *
         )
         SELECT ${COMMENT_COLUMNS} FROM c JOIN users u ON u.id = c.author_id`,
        [authorId, slug, body],
      );
      return rows[0] ? toComment(rows[0]) : null;
    },

    async findCommentOwner(slug, commentId) {
      const { rows } = await pool.query<{ articleId: number; commentAuthorId: number | null }>(
        `SELECT a.id AS "articleId", c.author_id AS "commentAuthorId"
           FROM articles a LEFT JOIN comments c ON c.article_id = a.id AND c.id = $2
          WHERE a.slug = $1`,
        [slug, commentId],
      );
      return rows[0] ?? null;
    },

    async deleteComment(commentId) {
      await pool.query("DELETE FROM comments WHERE id = $1", [commentId]);
    },

    // --- Tags ------------------------------------------------------------------------------------

    async listTags() {
      const { rows } = await pool.query<{ name: string }>({ name: "pg_tags", text: "SELECT name FROM tags" });
      return rows.map((row) => row.name);
    },

    // --- Lifecycle -------------------------------------------------------------------------------

    async ping() {
      await pool.query("SELECT 1");
    },

    async close() {
      await pool.end();
    },
  };
}

// --- SQL fragments and row mapping ----------------------------------------------------------------

const USER_COLUMNS = "id, email, username, bio, image";

/** Everything an article response needs, as the viewer ($1) sees it: one row per article. */
const ARTICLE_COLUMNS = `
  a.id, a.slug, a.title, a.description, a.content, a.created_at, a.updated_at,
  u.username, u.bio, u.image,
  EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $1 AND f.followee_id = a.author_id) AS following,
  EXISTS (SELECT 1 FROM favorites fv WHERE fv.user_id = $1 AND fv.article_id = a.id) AS favorited,
  (SELECT count(*)::int FROM favorites fv WHERE fv.article_id = a.id) AS favorites_count,
  ARRAY(SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id) AS tag_list`;

const ARTICLE_SELECT = `SELECT ${ARTICLE_COLUMNS} FROM articles a JOIN users u ON u.id = a.author_id`;

/** A comment with its author as the viewer ($1) sees them. */
const COMMENT_COLUMNS = `
  c.id, c.body, c.created_at, c.updated_at, u.username, u.bio, u.image,
  EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $1 AND f.followee_id = c.author_id) AS following`;

interface ArticleRow {
  id: number;
  slug: string;
  title: string;
  description: string;
  content: string;
  created_at: Date;
  updated_at: Date;
  username: string;
  bio: string | null;
  image: string | null;
  following: boolean;
  favorited: boolean;
  favorites_count: number;
  tag_list: string[];
}

interface CommentRow {
  id: number;
  body: string;
  created_at: Date;
  updated_at: Date;
  username: string;
  bio: string | null;
  image: string | null;
  following: boolean;
}

function toArticleSummary(row: ArticleRow): ArticleSummaryRecord {
  return {
    slug: row.slug,
    title: row.title,
    description: row.description,
    tagList: row.tag_list,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    favorited: row.favorited,
    favoritesCount: row.favorites_count,
    author: { username: row.username, bio: row.bio, image: row.image, following: row.following },
  };
}

function toArticle(row: ArticleRow): ArticleRecord {
  return { ...toArticleSummary(row), body: row.content };
}

function toComment(row: CommentRow): CommentRecord {
  return {
    id: row.id,
    body: row.body,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    author: { username: row.username, bio: row.bio, image: row.image, following: row.following },
  };
}

const UNIQUE_VIOLATION = "23505";

/** node-postgres reports a unique violation with its SQLSTATE and the constraint's name. */
function asConflict(error: unknown): unknown {
  if (error instanceof pg.DatabaseError && error.code === UNIQUE_VIOLATION && error.constraint) {
    const field = conflictFieldOf(error.constraint);
    if (field) return new ConflictError(field, { cause: error });
  }
  return error;
}
