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
  type StoreConfig,
} from "@arena/api";
import {
  type AliasableExpression,
  type Expression,
  type ExpressionBuilder,
  expressionBuilder,
  type Kysely,
  type SqlBool,
  type Transaction,
} from "kysely";
import { jsonArrayFrom, jsonBuildObject, jsonObjectFrom } from "kysely/helpers/postgres";
import pg from "pg";
import { createDatabase } from "./db.js";
import type { DB } from "./schema.generated.js";

/**
 * Kysely over node-postgres: every query is typed against `DB`, the type kysely-codegen generated
 * from the migrated schema. Nested data (authors, tags, comment lists, article pages) comes in the
 * same statement as its parent, aggregated to JSON by `jsonObjectFrom`/`jsonArrayFrom`.
 */
export function createStore(config: StoreConfig): ConduitStore {
  const db = createDatabase(config);

  async function articleWhere(where: ArticleCondition, viewerId: number | null): Promise<ArticleRecord | null> {
    const row = await db
      .selectFrom("articles")
      .select(articleSummaryColumns(viewerId))
      .select("articles.content as body")
      .where(where)
      .executeTakeFirst();
    return row ? toArticle(row) : null;
  }

  /**
   * One statement for a page and the count of all matches, whatever the filters. `pageOnly`
   * narrows the paged rows but not the count (it gets `offset + limit`, the depth of the page).
   */
  async function page(
    where: ArticleCondition,
    { limit, offset }: Page,
    viewerId: number | null,
    pageOnly: (depth: number) => ArticleCondition = () => (eb) => eb.lit(true),
  ): Promise<ArticlePage> {
    const { articlesCount, articles } = await db
      .selectNoFrom((eb) => [
        eb
          .selectFrom("articles")
          .where(where)
          .select((eb) => eb.cast<number>(eb.fn.countAll(), "integer").as("count"))
          .$asScalar()
          .$notNull()
          .as("articlesCount"),
        // The page is cut first, in a derived table of `articles` alone (aliased `articles`, so
        // the summary columns refer to it unchanged); the correlated subqueries of the select
        // list then run for its rows only. Selected straight from `articles` with
        // `limit`/`offset`, PostgreSQL runs them for every row the offset skips: 293 ms at offset
        // 15,890 instead of ~12. json_agg keeps the order of its ordered subquery: the page
        // arrives newest first.
        jsonArrayFrom(
          eb
            .selectFrom((eb) =>
              eb
                .selectFrom("articles")
                .selectAll("articles")
                .where(where)
                .where(pageOnly(offset + limit))
                .orderBy("articles.created_at", "desc")
                .orderBy("articles.id", "desc")
                .limit(limit)
                .offset(offset)
                .as("articles"),
            )
            .select(articleSummaryColumns(viewerId))
            .orderBy("articles.created_at", "desc")
            .orderBy("articles.id", "desc"),
        ).as("articles"),
      ])
      .executeTakeFirstOrThrow();
    return { articles: articles.map(toArticleSummary), articlesCount };
  }

  async function replaceTags(trx: Transaction<DB>, articleId: number, tags: string[]): Promise<void> {
    if (tags.length === 0) return;
    // Two statements on purpose: the second one's snapshot sees tags that a concurrent request
    // inserted (and that made this insert skip them), so no tag is ever lost. Sorted names keep
    // concurrent inserts from deadlocking.
    await trx
      .insertInto("tags")
      .values([...tags].sort().map((name) => ({ name })))
      .onConflict((oc) => oc.column("name").doNothing())
      .execute();
    await trx
      .insertInto("article_tags")
      .columns(["article_id", "tag_id"])
      .expression((eb) =>
        eb
          .selectFrom("tags")
          .select([eb.val(articleId).as("article_id"), "tags.id"])
          .where("tags.name", "in", tags),
      )
      .execute();
  }

  return {
    // --- Users -----------------------------------------------------------------------------------

    async createUser(user) {
      try {
        return await db
          .insertInto("users")
          .values({ username: user.username, email: user.email, password_hash: user.passwordHash })
          .returning(USER_COLUMNS)
          .executeTakeFirstOrThrow();
      } catch (error) {
        throw asConflict(error);
      }
    },

    async findCredentialsByEmail(email) {
      const credentials = await db
        .selectFrom("users")
        .select([...USER_COLUMNS, "users.password_hash as passwordHash"])
        // lower(email) = lower($1), the expression of the unique index users_email_lower_key,
        // so the index serves the lookup.
        .where((eb) => eb(eb.fn<string>("lower", ["users.email"]), "=", eb.fn<string>("lower", [eb.val(email)])))
        .executeTakeFirst();
      return credentials ?? null;
    },

    async findUserById(id) {
      const user = await db.selectFrom("users").select(USER_COLUMNS).where("users.id", "=", id).executeTakeFirst();
      return user ?? null;
    },

    async updateUser(id, changes) {
      try {
        // Kysely leaves `undefined` values out of the SET list: absent fields stay as they are.
        const user = await db
          .updateTable("users")
          .set((eb) => ({
            email: changes.email,
            username: changes.username,
            password_hash: changes.passwordHash,
            bio: changes.bio,
            image: changes.image,
            updated_at: eb.fn<Date>("now"),
          }))
          .where("users.id", "=", id)
          .returning(USER_COLUMNS)
          .executeTakeFirst();
        return user ?? null;
      } catch (error) {
        throw asConflict(error);
      }
    },

    // --- Profiles --------------------------------------------------------------------------------

    async getProfile(username, viewerId) {
      const profile = await db
        .selectFrom("users")
        .select((eb) => [...PROFILE_COLUMNS, isFollowing(viewerId, eb.ref("users.id")).as("following")])
        .where("users.username", "=", username)
        .executeTakeFirst();
      return profile ?? null;
    },

    async followUser(followerId, username) {
      // One statement: the INSERT runs as a data-modifying CTE next to the SELECT of the profile.
      const profile = await db
        .with("target", (db) =>
          db
            .selectFrom("users")
            .select(["id", ...PROFILE_COLUMNS])
            .where("username", "=", username),
        )
        .with("followed", (db) =>
          db
            .insertInto("follows")
            .columns(["follower_id", "followee_id"])
            .expression((eb) => eb.selectFrom("target").select([eb.val(followerId).as("follower_id"), "target.id"]))
            .onConflict((oc) => oc.doNothing()),
        )
        .selectFrom("target")
        .select((eb) => [...PROFILE_COLUMNS, eb.lit(true).as("following")])
        .executeTakeFirst();
      return profile ?? null;
    },

    async unfollowUser(followerId, username) {
      const profile = await db
        .with("target", (db) =>
          db
            .selectFrom("users")
            .select(["id", ...PROFILE_COLUMNS])
            .where("username", "=", username),
        )
        .with("unfollowed", (db) =>
          db
            .deleteFrom("follows")
            .using("target")
            .where("follows.follower_id", "=", followerId)
            .whereRef("follows.followee_id", "=", "target.id"),
        )
        .selectFrom("target")
        .select((eb) => [...PROFILE_COLUMNS, eb.lit(false).as("following")])
        .executeTakeFirst();
      return profile ?? null;
    },

    // --- Articles --------------------------------------------------------------------------------

    async listArticles(filter: ArticleFilter, viewerId) {
      return page(
        (eb) => {
          const conditions: Expression<SqlBool>[] = [];
          if (filter.tag !== undefined) {
            conditions.push(
              eb(
                "articles.id",
                "in",
                eb
                  .selectFrom("article_tags")
                  .innerJoin("tags", "tags.id", "article_tags.tag_id")
                  .select("article_tags.article_id")
                  .where("tags.name", "=", filter.tag),
              ),
            );
          }
          if (filter.author !== undefined) {
            conditions.push(
              eb(
                "articles.author_id",
                "=",
                eb.selectFrom("users").select("users.id").where("users.username", "=", filter.author),
              ),
            );
          }
          if (filter.favorited !== undefined) {
            conditions.push(
              eb(
                "articles.id",
                "in",
                eb
                  .selectFrom("favorites")
                  .innerJoin("users", "users.id", "favorites.user_id")
                  .select("favorites.article_id")
                  .where("users.username", "=", filter.favorited),
              ),
            );
          }
          return eb.and(conditions);
        },
        filter,
        viewerId,
      );
    },

    async listFeed(pageRequest, viewerId) {
      // The baseline's measured shape (apps/pg/README.md, "Feed shape, measured"). `author_id in
      // (select ...)` lets PostgreSQL walk the created_at index probing follows per article (up to
      // 6,029 buffers a page); `= any(array(select ...))` makes the followees an InitPlan and scans
      // the (author_id, created_at) index for them. The page's oldest reachable date, min() of the
      // newest `offset + limit` dates, comes from that index alone, so only the page's rows are
      // read from the heap instead of every article of every followee.
      const followees = (eb: ExpressionBuilder<DB, "articles">) =>
        eb.fn<number[]>("array", [
          eb.selectFrom("follows").select("follows.followee_id").where("follows.follower_id", "=", viewerId),
        ]);
      return page(
        (eb) => eb("articles.author_id", "=", eb.fn.any(followees(eb))),
        pageRequest,
        viewerId,
        (depth) => (eb) =>
          eb(
            "articles.created_at",
            ">=",
            eb
              .selectFrom((eb) =>
                eb
                  .selectFrom("articles as newest")
                  .select("newest.created_at")
                  .where("newest.author_id", "=", eb.fn.any(followees(eb)))
                  .orderBy("newest.created_at", "desc")
                  .limit(depth)
                  .as("newest"),
              )
              .select((eb) => eb.fn.min("newest.created_at").as("oldest")),
          ),
      );
    },

    async getArticle(slug, viewerId) {
      return articleWhere((eb) => eb("articles.slug", "=", slug), viewerId);
    },

    async findArticleOwner(slug) {
      const owner = await db
        .selectFrom("articles")
        .select(["articles.id as articleId", "articles.author_id as authorId"])
        .where("articles.slug", "=", slug)
        .executeTakeFirst();
      return owner ?? null;
    },

    async createArticle(authorId, article: NewArticleRecord) {
      const articleId = await db.transaction().execute(async (trx) => {
        let inserted: { id: number };
        try {
          inserted = await trx
            .insertInto("articles")
            .values({
              slug: article.slug,
              title: article.title,
              description: article.description,
              content: article.body,
              // Computed by the API layer from the body; the store only keeps it.
              reading_minutes: article.readingMinutes,
              author_id: authorId,
            })
            .returning("articles.id")
            .executeTakeFirstOrThrow();
        } catch (error) {
          throw asConflict(error);
        }
        await replaceTags(trx, inserted.id, article.tagList);
        return inserted.id;
      });
      return (await articleWhere((eb) => eb("articles.id", "=", articleId), authorId)) as ArticleRecord;
    },

    async updateArticle(articleId, changes: ArticleChanges, viewerId) {
      const update = (executor: Kysely<DB>) =>
        executor
          .updateTable("articles")
          .set((eb) => ({
            title: changes.title,
            description: changes.description,
            content: changes.body,
            reading_minutes: changes.readingMinutes,
            updated_at: eb.fn<Date>("now"),
          }))
          .where("articles.id", "=", articleId)
          .execute();
      const { tagList } = changes;
      if (tagList === undefined) {
        await update(db);
      } else {
        await db.transaction().execute(async (trx) => {
          await update(trx);
          await trx.deleteFrom("article_tags").where("article_tags.article_id", "=", articleId).execute();
          await replaceTags(trx, articleId, tagList);
        });
      }
      return (await articleWhere((eb) => eb("articles.id", "=", articleId), viewerId)) as ArticleRecord;
    },

    async deleteArticle(articleId) {
      // Comments, favorites and tag links go with it: ON DELETE CASCADE.
      await db.deleteFrom("articles").where("articles.id", "=", articleId).execute();
    },

    // --- Favorites -------------------------------------------------------------------------------

    async favoriteArticle(slug, userId) {
      await db
        .insertInto("favorites")
        .columns(["user_id", "article_id"])
        .expression((eb) =>
          eb
            .selectFrom("articles")
            .select([eb.val(userId).as("user_id"), "articles.id"])
            .where("articles.slug", "=", slug),
        )
        .onConflict((oc) => oc.doNothing())
        .execute();
      return articleWhere((eb) => eb("articles.slug", "=", slug), userId);
    },

    async unfavoriteArticle(slug, userId) {
      await db
        .deleteFrom("favorites")
        .using("articles")
        .whereRef("favorites.article_id", "=", "articles.id")
        .where("favorites.user_id", "=", userId)
        .where("articles.slug", "=", slug)
        .execute();
      return articleWhere((eb) => eb("articles.slug", "=", slug), userId);
    },

    // --- Comments --------------------------------------------------------------------------------

    async listComments(slug, viewerId) {
      // The comments nest in their article's row, so an unknown slug is told apart from no comments.
      const article = await db
        .selectFrom("articles")
        .select((eb) =>
          jsonArrayFrom(
            eb
              .selectFrom("comments")
              // The author joined once for the list, rather than `profileOf`'s subquery per
              // comment: 4,046 → 2,630 buffers for 709 comments.
              .innerJoin("users", "users.id", "comments.author_id")
              .select((eb) => [
                "comments.id",
                "comments.body",
                "comments.created_at as createdAt",
                "comments.updated_at as updatedAt",
                jsonBuildObject({
                  username: eb.ref("users.username"),
                  bio: eb.ref("users.bio"),
                  image: eb.ref("users.image"),
                  following: isFollowing(viewerId, eb.ref("comments.author_id")),
                }).as("author"),
              ])
              .whereRef("comments.article_id", "=", "articles.id")
              .orderBy("comments.created_at", "desc")
              .orderBy("comments.id", "desc"),
          ).as("comments"),
        )
        .where("articles.slug", "=", slug)
        .executeTakeFirst();
      return article ? article.comments.map(toComment) : null;
    },

    async addComment(slug, authorId, body) {
      // INSERT ... SELECT finds the article by slug; RETURNING nests the author: one statement.
      const comment = await db
        .insertInto("comments")
        .columns(["body", "article_id", "author_id"])
        .expression((eb) =>
          eb
            .selectFrom("articles")
            .select([eb.val(body).as("body"), "articles.id", eb.val(authorId).as("author_id")])
            .where("articles.slug", "=", slug),
        )
        .returning(commentColumns(authorId))
        .executeTakeFirst();
      return comment ? toComment(comment) : null;
    },

    async findCommentOwner(slug, commentId) {
      const owner = await db
        .selectFrom("articles")
        .leftJoin("comments", (join) =>
          join.onRef("comments.article_id", "=", "articles.id").on("comments.id", "=", commentId),
        )
        .select(["articles.id as articleId", "comments.author_id as commentAuthorId"])
        .where("articles.slug", "=", slug)
        .executeTakeFirst();
      return owner ?? null;
    },

    async deleteComment(commentId) {
      await db.deleteFrom("comments").where("comments.id", "=", commentId).execute();
    },

    // --- Tags ------------------------------------------------------------------------------------

    async listTags() {
      const tags = await db.selectFrom("tags").select("tags.name").execute();
      return tags.map((tag) => tag.name);
    },

    // --- Lifecycle -------------------------------------------------------------------------------

    async ping() {
      await db.selectNoFrom((eb) => eb.lit(1).as("one")).execute();
    },

    async close() {
      await db.destroy();
    },
  };
}

// --- Reusable selections and row mapping ----------------------------------------------------------

/** A condition on `articles`, shared by a page's count and its rows. */
type ArticleCondition = (eb: ExpressionBuilder<DB, "articles">) => Expression<SqlBool>;

const USER_COLUMNS = ["users.id", "users.email", "users.username", "users.bio", "users.image"] as const;

const PROFILE_COLUMNS = ["username", "bio", "image"] as const;

/** Whether the viewer follows the user `followeeId`; plainly `false` for anonymous viewers. */
function isFollowing(viewerId: number | null, followeeId: Expression<number>): AliasableExpression<boolean> {
  const eb = expressionBuilder<DB>();
  if (viewerId === null) return eb.lit(false);
  return eb
    .exists(
      eb
        .selectFrom("follows")
        .select(eb.lit(1).as("one"))
        .where("follows.follower_id", "=", viewerId)
        .where("follows.followee_id", "=", followeeId),
    )
    .$castTo<boolean>();
}

/** Whether the viewer favorited the article `articleId`; plainly `false` for anonymous viewers. */
function hasFavorited(viewerId: number | null, articleId: Expression<number>): AliasableExpression<boolean> {
  const eb = expressionBuilder<DB>();
  if (viewerId === null) return eb.lit(false);
  return eb
    .exists(
      eb
        .selectFrom("favorites")
        .select(eb.lit(1).as("one"))
        .where("favorites.user_id", "=", viewerId)
        .where("favorites.article_id", "=", articleId),
    )
    .$castTo<boolean>();
}

/**
 * The profile of user `userId` as the viewer sees it, as one JSON object. Never null: it is only
 * asked for the author of an article or comment, a NOT NULL foreign key.
 */
function profileOf(userId: Expression<number>, viewerId: number | null) {
  const eb = expressionBuilder<DB>();
  return jsonObjectFrom(
    eb
      .selectFrom("users")
      .select(["users.username", "users.bio", "users.image", isFollowing(viewerId, userId).as("following")])
      .where("users.id", "=", userId),
  ).$notNull();
}

/** Everything an article response needs but the body, as the viewer sees it: one row per article. */
function articleSummaryColumns(viewerId: number | null) {
  const eb = expressionBuilder<DB, "articles">();
  return [
    "articles.slug",
    "articles.title",
    "articles.description",
    "articles.created_at as createdAt",
    "articles.updated_at as updatedAt",
    jsonArrayFrom(
      eb
        .selectFrom("article_tags")
        .innerJoin("tags", "tags.id", "article_tags.tag_id")
        .select("tags.name")
        .whereRef("article_tags.article_id", "=", "articles.id"),
    ).as("tags"),
    hasFavorited(viewerId, eb.ref("articles.id")).as("favorited"),
    eb
      .selectFrom("favorites")
      .select((eb) => eb.cast<number>(eb.fn.countAll(), "integer").as("count"))
      .whereRef("favorites.article_id", "=", "articles.id")
      .$asScalar()
      .$notNull()
      .as("favoritesCount"),
    profileOf(eb.ref("articles.author_id"), viewerId).as("author"),
  ] as const;
}

/** A comment with its author as the viewer sees them. */
function commentColumns(viewerId: number | null) {
  const eb = expressionBuilder<DB, "comments">();
  return [
    "comments.id",
    "comments.body",
    "comments.created_at as createdAt",
    "comments.updated_at as updatedAt",
    profileOf(eb.ref("comments.author_id"), viewerId).as("author"),
  ] as const;
}

/**
 * Timestamps come as `Date`s from top-level columns but as ISO strings from JSON aggregates
 * (`2024-11-24T10:00:00.123456+00:00`): `new Date` reads those exactly as pg's own parser reads a
 * column (microseconds truncated to milliseconds), so both paths answer the same instant.
 */
function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

/** A record as a row holds it: as a top-level row (`Date`s) or inside a JSON aggregate (strings). */
type Row<T> = Omit<T, "createdAt" | "updatedAt"> & { createdAt: Date | string; updatedAt: Date | string };

/** A row of `articleSummaryColumns`: tags come as `{ name }` objects of `jsonArrayFrom`. */
type ArticleSummaryRow = Row<Omit<ArticleSummaryRecord, "tagList">> & { tags: { name: string }[] };

function toArticleSummary(row: ArticleSummaryRow): ArticleSummaryRecord {
  return {
    slug: row.slug,
    title: row.title,
    description: row.description,
    tagList: row.tags.map((tag) => tag.name),
    createdAt: toDate(row.createdAt),
    updatedAt: toDate(row.updatedAt),
    favorited: row.favorited,
    favoritesCount: row.favoritesCount,
    author: row.author,
  };
}

function toArticle(row: ArticleSummaryRow & { body: string }): ArticleRecord {
  return { ...toArticleSummary(row), body: row.body };
}

function toComment(row: Row<CommentRecord>): CommentRecord {
  return { ...row, createdAt: toDate(row.createdAt), updatedAt: toDate(row.updatedAt) };
}

const UNIQUE_VIOLATION = "23505";

/** Kysely passes node-postgres errors through: a unique violation has its SQLSTATE and constraint name. */
function asConflict(error: unknown): unknown {
  if (error instanceof pg.DatabaseError && error.code === UNIQUE_VIOLATION && error.constraint) {
    const field = conflictFieldOf(error.constraint);
    if (field) return new ConflictError(field, { cause: error });
  }
  return error;
}
