import {
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
  type UserRecord,
} from "@arena/api";
import { and, count, DrizzleQueryError, desc, eq, gte, inArray, min, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import pg from "pg";
import { createDatabase, type Database, type Transaction, transaction } from "./db.js";
import { articles, articleTags, comments, favorites, follows, lower, tags, users } from "./schema.js";

/**
 * The Conduit store on Drizzle ORM. Nested reads (an article with its author, tags and favorites,
 * comments with their authors, a profile with `following`) use relational queries (`db.query`),
 * which Drizzle compiles to ONE statement with lateral joins and JSON aggregation. Flat reads,
 * filters, counts and every write use the SQL-like builder (`db.select`, `db.insert`, ...).
 */
export function createStore(config: StoreConfig): ConduitStore {
  const db = createDatabase(config);

  /**
   * Articles matching `where`, newest first, as the viewer sees them: one relational query,
   * prepared once per filter shape (Drizzle's performance guide: the SQL is built once, then only
   * the placeholders' values travel). The page is chosen first, by ids: `where: inArray(id, <ids
   * of the page>)`. Given `limit`/`offset` itself, the relational query pages AFTER its laterals,
   * so a deep page (offset 15,890) runs the author, tags and favorites subqueries for every row it
   * skips (385 ms); paging the ids in a subquery runs them for the page's rows only.
   */
  function prepareArticles(
    where: SQL | undefined,
    name: string,
    { paged, pageOnly }: { paged: boolean; pageOnly?: SQL | undefined },
  ) {
    const pageIds = db
      .select({ id: articles.id })
      .from(articles)
      .where(and(where, pageOnly))
      .orderBy(desc(articles.createdAt), desc(articles.id))
      .limit(sql.placeholder("limit"))
      .offset(sql.placeholder("offset"));
    return db.query.articles
      .findMany({
        // A single article (a unique slug or id) needs no page: `limit: 1` on its own row.
        where: paged ? inArray(articles.id, pageIds) : where,
        limit: paged ? undefined : 1,
        orderBy: [desc(articles.createdAt), desc(articles.id)],
        columns: { slug: true, title: true, description: true, content: true, createdAt: true, updatedAt: true },
        extras: {
          // A builder subquery wrapped in `sql` (no SQL text of ours) rather than the documented
          // `db.$count(favorites, eq(favorites.articleId, articles.id))`: relational queries v1
          // re-alias every column inside extras to the root table, turning the filter into
          // "articles"."article_id" (drizzle-orm#3493, fixed in the 1.0 line). Drizzle does not
          // descend into an embedded builder, and the root table's alias is its own name, so
          // "articles"."id" resolves. The rewrite also drops the decoder, so count(*)'s bigint
          // arrives as a string, converted below.
          favoritesCount: sql<string>`${db
            .select({ count: count() })
            .from(favorites)
            .where(eq(favorites.articleId, articles.id))}`.as("favorites_count"),
        },
        with: {
          author: PROFILE_WITH,
          tags: { columns: {}, with: { tag: { columns: { name: true } } } },
          // At most one row: the viewer's own favorite, for `favorited`.
          favorites: { columns: { userId: true }, where: eq(favorites.userId, VIEWER) },
        },
      })
      .prepare(name);
  }

  /** The count of all matches of `where`, prepared next to its page. */
  function prepareCount(where: SQL | undefined, name: string) {
    return db.select({ count: count() }).from(articles).where(where).prepare(name);
  }

  type ArticlesQuery = ReturnType<typeof prepareArticles>;
  type ArticleRow = Awaited<ReturnType<ArticlesQuery["execute"]>>[number];

  function toArticle(row: ArticleRow): ArticleRecord {
    return {
      slug: row.slug,
      title: row.title,
      description: row.description,
      body: row.content,
      tagList: row.tags.map((link) => link.tag.name),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      favorited: row.favorites.length > 0,
      favoritesCount: Number(row.favoritesCount),
      author: toProfile(row.author),
    };
  }

  /** A page query and its count, prepared once per filter shape, on first use. */
  const pageQueries = new Map<string, { rows: ArticlesQuery; count: ReturnType<typeof prepareCount> }>();
  /** `pageOnly` narrows the page's ids but not the count (placeholder `depth`: offset + limit). */
  function pageQueriesFor(shape: string, where: () => SQL | undefined, pageOnly?: () => SQL) {
    let queries = pageQueries.get(shape);
    if (!queries) {
      const condition = where();
      queries = {
        rows: prepareArticles(condition, `drizzle_articles_${shape}`, { paged: true, pageOnly: pageOnly?.() }),
        count: prepareCount(condition, `drizzle_articles_count_${shape}`),
      };
      pageQueries.set(shape, queries);
    }
    return queries;
  }

  const articleBySlug = prepareArticles(eq(articles.slug, sql.placeholder("slug")), "drizzle_article_by_slug", {
    paged: false,
  });
  const articleById = prepareArticles(eq(articles.id, sql.placeholder("id")), "drizzle_article_by_id", {
    paged: false,
  });

  async function findArticle(
    query: ArticlesQuery,
    values: Record<string, unknown>,
    viewerId: number | null,
  ): Promise<ArticleRecord | null> {
    const [article] = await query.execute({ ...values, viewerId });
    return article ? toArticle(article) : null;
  }

  /** One page and the count of all matches: two statements, run side by side on two connections. */
  async function page(
    queries: { rows: ArticlesQuery; count: ReturnType<typeof prepareCount> },
    values: Record<string, unknown>,
    { limit, offset }: Page,
    viewerId: number | null,
  ): Promise<ArticlePage> {
    const [found, [total]] = await Promise.all([
      queries.rows.execute({ ...values, viewerId, limit, offset, depth: offset + limit }),
      queries.count.execute(values),
    ]);
    return { articles: found.map((row) => withoutBody(toArticle(row))), articlesCount: total?.count ?? 0 };
  }

  const commentById = db.query.comments
    .findFirst({
      where: eq(comments.id, sql.placeholder("id")),
      columns: { id: true, body: true, createdAt: true, updatedAt: true },
      with: { author: PROFILE_WITH },
    })
    .prepare("drizzle_comment_by_id");

  /** The comment with its author as the viewer sees them: one statement. */
  async function findComment(commentId: number, viewerId: number | null): Promise<CommentRecord | null> {
    const comment = await commentById.execute({ id: commentId, viewerId });
    return comment ? toComment(comment) : null;
  }

  // From the article down, joined left, so an unknown slug (no row) differs from an article without
  // comments (one row of nulls). Joins of the SQL-like builder rather than a relational query: the
  // list is flat (one row per comment), and `with: { comments: { with: { author } } }` runs a
  // lateral for the author and a follows lookup per comment (4,046 buffers for 709 comments,
  // against 2,630 joined).
  const followedByViewer = db.select({ id: follows.followeeId }).from(follows).where(eq(follows.followerId, VIEWER));
  const commentsBySlug = db
    .select({
      id: comments.id,
      body: comments.body,
      createdAt: comments.createdAt,
      updatedAt: comments.updatedAt,
      username: users.username,
      bio: users.bio,
      image: users.image,
      // `author_id IN (the viewer's followees)`, which PostgreSQL hashes once, rather than a
      // follows lookup per comment.
      following: inArray(comments.authorId, followedByViewer).mapWith(Boolean),
    })
    .from(articles)
    .leftJoin(comments, eq(comments.articleId, articles.id))
    .leftJoin(users, eq(users.id, comments.authorId))
    .where(eq(articles.slug, sql.placeholder("slug")))
    .orderBy(desc(comments.createdAt), desc(comments.id))
    .prepare("drizzle_comments_by_slug");

  const profileByUsername = db.query.users
    .findFirst({ where: eq(users.username, sql.placeholder("username")), ...PROFILE_WITH })
    .prepare("drizzle_profile_by_username");

  const userById = db
    .select(USER_COLUMNS)
    .from(users)
    .where(eq(users.id, sql.placeholder("id")))
    .prepare("drizzle_user_by_id");

  const tagNames = db.select({ name: tags.name }).from(tags).prepare("drizzle_tags");

  async function findArticleId(slug: string): Promise<number | null> {
    const [article] = await db.select({ id: articles.id }).from(articles).where(eq(articles.slug, slug));
    return article?.id ?? null;
  }

  async function replaceTags(tx: Transaction, articleId: number, names: string[]): Promise<void> {
    if (names.length === 0) return;
    // Two statements on purpose: the second one's snapshot sees tags that a concurrent request
    // inserted (and that made this insert skip them), so no tag is ever lost. Sorted names keep
    // concurrent inserts from deadlocking.
    await tx
      .insert(tags)
      .values([...names].sort().map((name) => ({ name })))
      .onConflictDoNothing({ target: tags.name });
    // INSERT ... SELECT must select every column of the table, in order: (article id, tag id)
    // pairs for this article and the named tags.
    await tx.insert(articleTags).select(
      tx
        .select({ articleId: articles.id, tagId: tags.id })
        .from(articles)
        .crossJoin(tags)
        .where(and(eq(articles.id, articleId), inArray(tags.name, names))),
    );
  }

  return {
    // --- Users -----------------------------------------------------------------------------------

    async createUser(user) {
      try {
        const [created] = await db.insert(users).values(user).returning(USER_COLUMNS);
        return created as UserRecord;
      } catch (error) {
        throw asConflict(error);
      }
    },

    async findCredentialsByEmail(email) {
      const [credentials] = await db
        .select({ ...USER_COLUMNS, passwordHash: users.passwordHash })
        .from(users)
        // RAW SQL ESCAPE HATCH: `lower()` is a `sql` template (schema.ts), as Drizzle's guide to
        // case-insensitive emails writes it; Drizzle has no built-in `lower()`. Both sides are
        // lowered by PostgreSQL, so the lookup is `lower(email) = lower($1)`, which the unique
        // index on `lower(email)` serves.
        .where(eq(lower(users.email), lower(email)));
      return credentials ?? null;
    },

    async findUserById(id) {
      const [user] = await userById.execute({ id });
      return user ?? null;
    },

    async updateUser(id, changes) {
      try {
        // Drizzle leaves `undefined` fields out of SET.
        const [user] = await db
          .update(users)
          .set({ ...changes, updatedAt: NOW })
          .where(eq(users.id, id))
          .returning(USER_COLUMNS);
        return user ?? null;
      } catch (error) {
        throw asConflict(error);
      }
    },

    // --- Profiles --------------------------------------------------------------------------------

    async getProfile(username, viewerId) {
      const user = await profileByUsername.execute({ username, viewerId });
      return user ? toProfile(user) : null;
    },

    async followUser(followerId, username) {
      const [followee] = await db.select(PROFILE_COLUMNS).from(users).where(eq(users.username, username));
      if (!followee) return null;
      await db.insert(follows).values({ followerId, followeeId: followee.id }).onConflictDoNothing();
      return { username: followee.username, bio: followee.bio, image: followee.image, following: true };
    },

    async unfollowUser(followerId, username) {
      const [followee] = await db.select(PROFILE_COLUMNS).from(users).where(eq(users.username, username));
      if (!followee) return null;
      await db.delete(follows).where(and(eq(follows.followerId, followerId), eq(follows.followeeId, followee.id)));
      return { username: followee.username, bio: followee.bio, image: followee.image, following: false };
    },

    // --- Articles --------------------------------------------------------------------------------

    async listArticles(filter: ArticleFilter, viewerId) {
      // The filters present pick the shape (one prepared statement each); their values are
      // placeholders.
      const { tag, author, favorited } = filter;
      const shape = [
        tag !== undefined && "tag",
        author !== undefined && "author",
        favorited !== undefined && "favorited",
      ]
        .filter(Boolean)
        .join("_");
      const queries = pageQueriesFor(shape || "all", () => {
        const conditions: SQL[] = [];
        if (tag !== undefined) {
          const tagged = db
            .select({ id: articleTags.articleId })
            .from(articleTags)
            .innerJoin(tags, eq(tags.id, articleTags.tagId))
            .where(eq(tags.name, sql.placeholder("tag")));
          conditions.push(inArray(articles.id, tagged));
        }
        if (author !== undefined) {
          const authorId = db
            .select({ id: users.id })
            .from(users)
            .where(eq(users.username, sql.placeholder("author")));
          conditions.push(eq(articles.authorId, authorId));
        }
        if (favorited !== undefined) {
          const favoritedBy = db
            .select({ id: favorites.articleId })
            .from(favorites)
            .innerJoin(users, eq(users.id, favorites.userId))
            .where(eq(users.username, sql.placeholder("favorited")));
          conditions.push(inArray(articles.id, favoritedBy));
        }
        return and(...conditions);
      });
      return page(queries, { tag, author, favorited }, filter, viewerId);
    },

    async listFeed(pageRequest, viewerId) {
      const followed = () =>
        db
          .select({ id: follows.followeeId })
          .from(follows)
          .where(eq(follows.followerId, sql.placeholder("followerId")));
      // The baseline's measured shape (apps/pg/README.md, "Feed shape, measured"): the page's ids
      // are also bounded by the oldest date the page can reach, min() of the followees' newest
      // `offset + limit` dates, which PostgreSQL reads from the (author_id, created_at) index alone.
      // Without it, the ids subquery reads every article of every followee from the heap, or walks
      // the created_at index probing follows per article (up to 6,164 buffers a page).
      const oldestReachable = () => {
        const newest = alias(articles, "newest");
        const newestDates = db
          .select({ createdAt: newest.createdAt })
          .from(newest)
          .where(inArray(newest.authorId, followed()))
          .orderBy(desc(newest.createdAt))
          .limit(sql.placeholder("depth"))
          .as("newest_dates");
        return gte(articles.createdAt, db.select({ oldest: min(newestDates.createdAt) }).from(newestDates));
      };
      const queries = pageQueriesFor("feed", () => inArray(articles.authorId, followed()), oldestReachable);
      return page(queries, { followerId: viewerId }, pageRequest, viewerId);
    },

    async getArticle(slug, viewerId) {
      return findArticle(articleBySlug, { slug }, viewerId);
    },

    async findArticleOwner(slug) {
      const [owner] = await db
        .select({ articleId: articles.id, authorId: articles.authorId })
        .from(articles)
        .where(eq(articles.slug, slug));
      return owner ?? null;
    },

    async createArticle(authorId, article: NewArticleRecord) {
      // `body` is the API's name for `articles.content`; `readingMinutes` is stored as given.
      const { tagList, body, ...fields } = article;
      const articleId = await transaction(db, async (tx) => {
        let inserted: { id: number } | undefined;
        try {
          [inserted] = await tx
            .insert(articles)
            .values({ ...fields, content: body, authorId })
            .returning({ id: articles.id });
        } catch (error) {
          throw asConflict(error);
        }
        const id = (inserted as { id: number }).id;
        await replaceTags(tx, id, tagList);
        return id;
      });
      return (await findArticle(articleById, { id: articleId }, authorId)) as ArticleRecord;
    },

    async updateArticle(articleId, changes, viewerId) {
      // `readingMinutes` comes with `body` (the API computes it); both are absent otherwise, and
      // Drizzle leaves `undefined` fields out of SET.
      const { tagList, body, ...fields } = changes;
      const update = (client: Database | Transaction) =>
        client
          .update(articles)
          .set({ ...fields, content: body, updatedAt: NOW })
          .where(eq(articles.id, articleId));
      if (tagList === undefined) {
        await update(db);
      } else {
        await transaction(db, async (tx) => {
          await update(tx);
          await tx.delete(articleTags).where(eq(articleTags.articleId, articleId));
          await replaceTags(tx, articleId, tagList);
        });
      }
      return (await findArticle(articleById, { id: articleId }, viewerId)) as ArticleRecord;
    },

    async deleteArticle(articleId) {
      // Comments, favorites and tag links go with it: ON DELETE CASCADE.
      await db.delete(articles).where(eq(articles.id, articleId));
    },

    // --- Favorites -------------------------------------------------------------------------------

    async favoriteArticle(slug, userId) {
      // INSERT ... SELECT of the (user, article) pair: nothing when the slug is unknown.
      await db
        .insert(favorites)
        .select(
          db
            .select({ userId: users.id, articleId: articles.id })
            .from(users)
            .crossJoin(articles)
            .where(and(eq(users.id, userId), eq(articles.slug, slug))),
        )
        .onConflictDoNothing();
      return findArticle(articleBySlug, { slug }, userId);
    },

    async unfavoriteArticle(slug, userId) {
      const article = db.select({ id: articles.id }).from(articles).where(eq(articles.slug, slug));
      await db.delete(favorites).where(and(eq(favorites.userId, userId), inArray(favorites.articleId, article)));
      return findArticle(articleBySlug, { slug }, userId);
    },

    // --- Comments --------------------------------------------------------------------------------

    async listComments(slug, viewerId) {
      const rows = await commentsBySlug.execute({ slug, viewerId });
      if (rows.length === 0) return null;
      const found: CommentRecord[] = [];
      for (const row of rows) {
        // Inner joins in fact: a comment has its author (NOT NULL foreign key).
        if (row.id === null || row.username === null) continue;
        found.push({
          id: row.id,
          body: row.body as string,
          createdAt: row.createdAt as Date,
          updatedAt: row.updatedAt as Date,
          author: { username: row.username, bio: row.bio, image: row.image, following: row.following },
        });
      }
      return found;
    },

    async addComment(slug, authorId, body) {
      // Three statements: Drizzle's INSERT ... SELECT must select every column (id and timestamps
      // included), so the article is looked up first; the comment is then read back in the same
      // shape as the comment list.
      const articleId = await findArticleId(slug);
      if (articleId === null) return null;
      const [inserted] = await db.insert(comments).values({ body, articleId, authorId }).returning({ id: comments.id });
      return findComment((inserted as { id: number }).id, authorId);
    },

    async findCommentOwner(slug, commentId) {
      const [owner] = await db
        .select({ articleId: articles.id, commentAuthorId: comments.authorId })
        .from(articles)
        .leftJoin(comments, and(eq(comments.articleId, articles.id), eq(comments.id, commentId)))
        .where(eq(articles.slug, slug));
      return owner ?? null;
    },

    async deleteComment(commentId) {
      await db.delete(comments).where(eq(comments.id, commentId));
    },

    // --- Tags ------------------------------------------------------------------------------------

    async listTags() {
      const rows = await tagNames.execute();
      return rows.map((row) => row.name);
    },

    // --- Lifecycle -------------------------------------------------------------------------------

    async ping() {
      // RAW SQL ESCAPE HATCH: a query without a table; Drizzle's builders always select from one.
      await db.execute(sql`select 1`);
    },

    async close() {
      await db.$client.end();
    },
  };
}

// --- Query parts and row mapping -----------------------------------------------------------------

// RAW SQL ESCAPE HATCH: the database clock for `updated_at`, as `defaultNow()` gives inserts;
// Drizzle writes `now()` into the DDL default but has no `now()` for queries. (The schema-level
// `$onUpdate(() => ...)` would add it to every UPDATE, but Drizzle rejects a SET with no other
// field, "No values to set", which an update of the tags alone is.)
const NOW = sql<Date>`now()`;

const USER_COLUMNS = {
  id: users.id,
  email: users.email,
  username: users.username,
  bio: users.bio,
  image: users.image,
};

const PROFILE_COLUMNS = { id: users.id, username: users.username, bio: users.bio, image: users.image };

/**
 * The viewer's id in prepared queries. An anonymous viewer's `null` makes `= $n` match no row, so
 * `following` and `favorited` are false.
 */
const VIEWER = sql.placeholder("viewerId");

/** A user as the viewer sees them, for `with`: the follows row of the viewer, if any, gives `following`. */
const PROFILE_WITH = {
  columns: { username: true, bio: true, image: true },
  with: { followers: { columns: { followerId: true }, where: eq(follows.followerId, VIEWER) } },
} as const;

interface ProfileRow {
  username: string;
  bio: string | null;
  image: string | null;
  followers: unknown[];
}

function toProfile(row: ProfileRow): ProfileRecord {
  return { username: row.username, bio: row.bio, image: row.image, following: row.followers.length > 0 };
}

function toComment(row: {
  id: number;
  body: string;
  createdAt: Date;
  updatedAt: Date;
  author: ProfileRow;
}): CommentRecord {
  return {
    id: row.id,
    body: row.body,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    author: toProfile(row.author),
  };
}

function withoutBody({ body: _body, ...summary }: ArticleRecord): ArticleSummaryRecord {
  return summary;
}

const UNIQUE_VIOLATION = "23505";

/**
 * Drizzle wraps driver errors in `DrizzleQueryError` (the failed SQL and params) with the
 * node-postgres error as `cause`, which carries the SQLSTATE and the constraint's (or unique
 * index's) name: one of the canonical names `conflictFieldOf` knows.
 */
function asConflict(error: unknown): unknown {
  const cause = error instanceof DrizzleQueryError ? error.cause : error;
  if (cause instanceof pg.DatabaseError && cause.code === UNIQUE_VIOLATION && cause.constraint) {
    const field = conflictFieldOf(cause.constraint);
    if (field) return new ConflictError(field, { cause });
  }
  return error;
}
