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
  type UserRecord,
} from "@arena/api";
import pg from "pg";
import {
  type EntityManager,
  In,
  type ObjectLiteral,
  QueryFailedError,
  QueryRunnerAlreadyReleasedError,
  Raw,
  type SelectQueryBuilder,
} from "typeorm";
import { createDataSource, type LostConnections, watchLostConnections } from "./db.js";
import { Article, ArticleTag, Comment, Favorite, Follow, Tag, User } from "./entities/index.js";

/**
 * TypeORM as its docs recommend: repositories for single-table reads and writes, the QueryBuilder
 * wherever a response joins several tables, and `DataSource#transaction` for multi-table writes.
 */
export async function createStore(config: StoreConfig): Promise<ConduitStore> {
  const dataSource = await createDataSource(config).initialize();
  const lostConnections = watchLostConnections(dataSource);
  const users = dataSource.getRepository(User);
  const follows = dataSource.getRepository(Follow);
  const articles = dataSource.getRepository(Article);
  const favorites = dataSource.getRepository(Favorite);
  const comments = dataSource.getRepository(Comment);
  const tags = dataSource.getRepository(Tag);

  /**
   * Articles joined with everything a response needs, as the viewer sees it, and no more: the
   * author's public columns (not `password_hash` or `email`), the tags' names, the viewer's follow
   * and favorite rows, and `favoritesCount`, the entity's virtual column (a subquery in the same
   * statement). Lists leave out `content`, which only a single article shows.
   */
  function articleQuery(
    viewerId: number | null,
    { withContent }: { withContent: boolean },
  ): SelectQueryBuilder<Article> {
    const query = articles
      .createQueryBuilder("article")
      .select(withContent ? [...ARTICLE_SUMMARY_COLUMNS, "article.content"] : ARTICLE_SUMMARY_COLUMNS)
      .innerJoin("article.author", "author")
      .addSelect(["author.id", "author.username", "author.bio", "author.image"])
      .leftJoin("article.articleTags", "articleTag")
      .addSelect(["articleTag.articleId", "articleTag.tagId"])
      .leftJoin("articleTag.tag", "tag")
      .addSelect(["tag.id", "tag.name"]);
    if (viewerId === null) return query;
    return joinViewerFollow(query, "author", viewerId).leftJoinAndMapOne(
      "article.viewerFavorite",
      "article.favorites",
      "viewerFavorite",
      "viewerFavorite.userId = :viewerId",
      { viewerId },
    );
  }

  async function articleWhere(
    where: string,
    parameters: ObjectLiteral,
    viewerId: number | null,
  ): Promise<ArticleRecord | null> {
    const article = await articleQuery(viewerId, { withContent: true }).where(where, parameters).getOne();
    return article ? toArticle(article) : null;
  }

  /**
   * A page of the articles `matching` selects, and the count of all of them. `matching` holds the
   * filters only, as subqueries, never a join: TypeORM's `skip/take` over a query with to-many joins
   * (the tags) pages with `SELECT DISTINCT` over the join of every matching article, and its count
   * becomes `COUNT(DISTINCT)` over the same joins. Without joins, the page's ids are a plain
   * `ORDER BY ... LIMIT/OFFSET` of `articles` (`offset/limit`, TypeORM's paging for join-free
   * queries) and `getCount()` a `COUNT(1)`, run side by side; then only the page's articles are
   * joined with what they show (`whereInIds`). `pageOnly` narrows the page's ids but not the
   * count; it gets `offset + limit`, the depth of the page.
   */
  async function page(
    matching: SelectQueryBuilder<Article>,
    { limit, offset }: Page,
    viewerId: number | null,
    pageOnly: (ids: SelectQueryBuilder<Article>, depth: number) => SelectQueryBuilder<Article> = (ids) => ids,
  ) {
    const ids = pageOnly(matching.clone().select("article.id"), offset + limit);
    const [onPage, articlesCount] = await Promise.all([
      ids.orderBy(NEWEST_FIRST).offset(offset).limit(limit).getMany(),
      matching.getCount(),
    ]);
    if (onPage.length === 0) return { articles: [], articlesCount } satisfies ArticlePage;
    const found = await articleQuery(viewerId, { withContent: false })
      .whereInIds(onPage.map((article) => article.id))
      .orderBy(NEWEST_FIRST)
      .getMany();
    return { articles: found.map(toArticleSummary), articlesCount } satisfies ArticlePage;
  }

  /** `DataSource#transaction`, its statements on one connection, whose loss it names (`onOneConnection`). */
  function transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return onOneConnection(lostConnections, () => dataSource.transaction(work));
  }

  async function replaceTags(manager: EntityManager, articleId: number, names: string[]): Promise<void> {
    if (names.length === 0) return;
    // Insert-if-absent in sorted order (no deadlock between concurrent creators), then read the ids
    // in a NEW statement, whose snapshot sees tags a concurrent request committed (and that made
    // this insert skip them), so no tag is ever lost. `updateEntity(false)`: TypeORM would copy the
    // ids RETURNING gives for the inserted rows onto the values by position, wrong when some were skipped.
    await manager
      .createQueryBuilder()
      .insert()
      .into(Tag)
      .values([...names].sort().map((name) => ({ name })))
      .orIgnore()
      .updateEntity(false)
      .execute();
    const found = await manager.find(Tag, { select: { id: true }, where: { name: In(names) } });
    await manager.insert(
      ArticleTag,
      found.map((tag) => ({ articleId, tagId: tag.id })),
    );
  }

  return {
    // --- Users -----------------------------------------------------------------------------------

    async createUser(user) {
      const created = users.create({ ...user, bio: null, image: null });
      try {
        // `insert` (one INSERT … RETURNING) rather than `save` (which adds BEGIN and COMMIT).
        await users.insert(created);
      } catch (error) {
        throw asConflict(error);
      }
      return toUser(created);
    },

    async findCredentialsByEmail(email) {
      // RAW SQL ESCAPE HATCH: find options have no case-insensitive equality (`ILike` is a pattern,
      // where `_` and `%` in an email would match other characters, and the index on lower(email)
      // does not serve it). The `Raw` operator with a bound parameter, the find options' documented
      // way to rewrite a comparison, gives `LOWER(email) = LOWER($1)`, which the unique index serves.
      const user = await users.findOne({
        // `passwordHash` is a hidden column: asked for by name, with the columns of a user.
        select: { id: true, email: true, username: true, bio: true, image: true, passwordHash: true },
        where: { email: Raw((column) => `LOWER(${column}) = LOWER(:email)`, { email }) },
      });
      return user ? { ...toUser(user), passwordHash: user.passwordHash } : null;
    },

    async findUserById(id) {
      const user = await users.findOneBy({ id });
      return user ? toUser(user) : null;
    },

    async updateUser(id, changes) {
      try {
        // `updated_at` is set by TypeORM: it is an @UpdateDateColumn.
        await users.update(id, changes);
      } catch (error) {
        throw asConflict(error);
      }
      const user = await users.findOneBy({ id });
      return user ? toUser(user) : null;
    },

    // --- Profiles --------------------------------------------------------------------------------

    async getProfile(username, viewerId) {
      const query = users.createQueryBuilder("user").where("user.username = :username", { username });
      const user = await joinViewerFollow(query, "user", viewerId).getOne();
      return user ? toProfile(user) : null;
    },

    async followUser(followerId, username) {
      const followee = await users.findOneBy({ username });
      if (!followee) return null;
      await follows.createQueryBuilder().insert().values({ followerId, followeeId: followee.id }).orIgnore().execute();
      return toProfile(followee, true);
    },

    async unfollowUser(followerId, username) {
      const followee = await users.findOneBy({ username });
      if (!followee) return null;
      await follows.delete({ followerId, followeeId: followee.id });
      return toProfile(followee, false);
    },

    // --- Articles --------------------------------------------------------------------------------

    async listArticles(filter: ArticleFilter, viewerId) {
      // Each filter is a subquery on the article's id or author (TypeORM's `subQuery()`), as in
      // the baseline: a join would make the page query and its count distinct over the joined rows.
      const query = articles.createQueryBuilder("article");
      if (filter.tag !== undefined) {
        query.andWhere((where) => {
          const tagged = where
            .subQuery()
            .select("articleTag.articleId")
            .from(ArticleTag, "articleTag")
            .innerJoin("articleTag.tag", "tag")
            .where("tag.name = :tag")
            .getQuery();
          return `article.id IN ${tagged}`;
        });
        query.setParameter("tag", filter.tag);
      }
      if (filter.author !== undefined) {
        query.andWhere((where) => {
          const author = where.subQuery().select("author.id").from(User, "author").where("author.username = :author");
          return `article.authorId = ${author.getQuery()}`;
        });
        query.setParameter("author", filter.author);
      }
      if (filter.favorited !== undefined) {
        query.andWhere((where) => {
          const favorited = where
            .subQuery()
            .select("favorite.articleId")
            .from(Favorite, "favorite")
            .innerJoin("favorite.user", "favoritedBy")
            .where("favoritedBy.username = :favorited")
            .getQuery();
          return `article.id IN ${favorited}`;
        });
        query.setParameter("favorited", filter.favorited);
      }
      return page(query, filter, viewerId);
    },

    async listFeed(pageRequest, viewerId) {
      // The baseline's measured shape (apps/pg/README.md, "Feed shape, measured"). `authorId IN
      // (subquery)` lets PostgreSQL walk the created_at index probing follows per article (up to
      // 5,842 buffers for the ids); `= ANY(ARRAY(subquery))` makes the followees an InitPlan and
      // scans the (author_id, created_at) index for them. The ids are also bounded by the oldest
      // date the page can reach, MIN() of the followees' newest `offset + limit` dates, read from
      // that index alone, so only the page's rows are read from the heap.
      const followees = (builder: SelectQueryBuilder<Article>) =>
        `ANY(ARRAY${builder
          .subQuery()
          .select("follow.followeeId")
          .from(Follow, "follow")
          .where("follow.followerId = :viewerId")
          .getQuery()})`;
      const query = articles
        .createQueryBuilder("article")
        .where((where: SelectQueryBuilder<Article>) => `article.authorId = ${followees(where)}`)
        .setParameter("viewerId", viewerId);
      return page(query, pageRequest, viewerId, (ids, depth) =>
        ids.andWhere((where: SelectQueryBuilder<Article>) => {
          const oldestReachable = where
            .subQuery()
            .select("MIN(newest.created_at)")
            .from(
              (dates) =>
                dates
                  .select("dated.createdAt", "created_at")
                  .from(Article, "dated")
                  .where(`dated.authorId = ${followees(where)}`)
                  .orderBy("dated.createdAt", "DESC")
                  .limit(depth),
              "newest",
            )
            .getQuery();
          return `article.createdAt >= ${oldestReachable}`;
        }),
      );
    },

    async getArticle(slug, viewerId) {
      return articleWhere("article.slug = :slug", { slug }, viewerId);
    },

    async findArticleOwner(slug) {
      const article = await articles.findOne({ select: { id: true, authorId: true }, where: { slug } });
      return article ? { articleId: article.id, authorId: article.authorId } : null;
    },

    async createArticle(authorId, article: NewArticleRecord) {
      const articleId = await transaction(async (manager) => {
        const { tagList, body, ...fields } = article;
        // The API's `body` is the entity's `content` (schema v2 renamed the column).
        const created = manager.create(Article, { ...fields, content: body, authorId });
        try {
          await manager.insert(Article, created);
        } catch (error) {
          throw asConflict(error);
        }
        await replaceTags(manager, created.id, tagList);
        return created.id;
      });
      return (await articleWhere("article.id = :articleId", { articleId }, authorId)) as ArticleRecord;
    },

    async updateArticle(articleId, changes: ArticleChanges, viewerId) {
      // `updated_at` is set by TypeORM: it is an @UpdateDateColumn.
      const { tagList, body, ...rest } = changes;
      // `readingMinutes` comes with `body`, which the entity calls `content`.
      const fields = body === undefined ? rest : { ...rest, content: body };
      if (tagList === undefined) {
        await articles.update(articleId, fields);
      } else {
        await transaction(async (manager) => {
          await manager.update(Article, articleId, fields);
          await manager.delete(ArticleTag, { articleId });
          await replaceTags(manager, articleId, tagList);
        });
      }
      return (await articleWhere("article.id = :articleId", { articleId }, viewerId)) as ArticleRecord;
    },

    async deleteArticle(articleId) {
      // Comments, favorites and tag links go with it: ON DELETE CASCADE.
      await articles.delete(articleId);
    },

    // --- Favorites -------------------------------------------------------------------------------

    async favoriteArticle(slug, userId) {
      const article = await articles.findOne({ select: { id: true }, where: { slug } });
      if (!article) return null;
      await favorites.createQueryBuilder().insert().values({ userId, articleId: article.id }).orIgnore().execute();
      return articleWhere("article.id = :id", { id: article.id }, userId);
    },

    async unfavoriteArticle(slug, userId) {
      const article = await articles.findOne({ select: { id: true }, where: { slug } });
      if (!article) return null;
      await favorites.delete({ userId, articleId: article.id });
      return articleWhere("article.id = :id", { id: article.id }, userId);
    },

    // --- Comments --------------------------------------------------------------------------------

    async listComments(slug, viewerId) {
      // From the article, joined left, so that an unknown slug (null) differs from no comments ([]).
      const query = articles
        .createQueryBuilder("article")
        .select("article.id")
        .leftJoinAndSelect("article.comments", "comment")
        .leftJoinAndSelect("comment.author", "author")
        .where("article.slug = :slug", { slug })
        .orderBy("comment.createdAt", "DESC")
        .addOrderBy("comment.id", "DESC");
      const article = await joinViewerFollow(query, "author", viewerId).getOne();
      return article ? article.comments.map(toComment) : null;
    },

    async addComment(slug, authorId, body) {
      const article = await articles.findOne({ select: { id: true }, where: { slug } });
      if (!article) return null;
      const created = comments.create({ body, articleId: article.id, authorId });
      await comments.insert(created);
      const query = users.createQueryBuilder("user").where("user.id = :authorId", { authorId });
      created.author = await joinViewerFollow(query, "user", authorId).getOneOrFail();
      return toComment(created);
    },

    async findCommentOwner(slug, commentId) {
      const article = await articles
        .createQueryBuilder("article")
        .select(["article.id", "comment.id", "comment.authorId"])
        .leftJoin("article.comments", "comment", "comment.id = :commentId", { commentId })
        .where("article.slug = :slug", { slug })
        .getOne();
      return article ? { articleId: article.id, commentAuthorId: article.comments[0]?.authorId ?? null } : null;
    },

    async deleteComment(commentId) {
      await comments.delete(commentId);
    },

    // --- Tags ------------------------------------------------------------------------------------

    async listTags() {
      // The names are only serialised, so raw rows (`getRawMany`), not 300 `Tag` entities:
      // `find({ select: { name: true } })` also selected the id and hydrated each row, 1.7x the CPU.
      const found = await tags.createQueryBuilder("tag").select("tag.name", "name").getRawMany<{ name: string }>();
      return found.map((tag) => tag.name);
    },

    // --- Lifecycle -------------------------------------------------------------------------------

    async ping() {
      await dataSource.createQueryBuilder().select("1").fromDummy().getRawOne();
    },

    async close() {
      await dataSource.destroy();
    },
  };
}

// --- Query pieces and entity mapping --------------------------------------------------------------

/** Newest first, the id breaking ties, as every list orders. */
const NEWEST_FIRST = { "article.createdAt": "DESC", "article.id": "DESC" } as const;

/** What a list shows of an article: every column but `content`, plus the `favoritesCount` virtual column. */
const ARTICLE_SUMMARY_COLUMNS = [
  "article.id",
  "article.slug",
  "article.title",
  "article.description",
  "article.createdAt",
  "article.updatedAt",
  "article.favoritesCount",
];

/** Maps the viewer's follow of the user at `userAlias` onto its `viewerFollow` (`following`). */
function joinViewerFollow<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  userAlias: string,
  viewerId: number | null,
): SelectQueryBuilder<T> {
  if (viewerId === null) return query;
  const alias = `${userAlias}ViewerFollow`;
  return query.leftJoinAndMapOne(
    `${userAlias}.viewerFollow`,
    `${userAlias}.followers`,
    alias,
    `${alias}.followerId = :viewerId`,
    { viewerId },
  );
}

function toUser(user: User): UserRecord {
  return { id: user.id, email: user.email, username: user.username, bio: user.bio, image: user.image };
}

function toProfile(user: User, following = user.viewerFollow != null): ProfileRecord {
  return { username: user.username, bio: user.bio, image: user.image, following };
}

function toArticleSummary(article: Article): ArticleSummaryRecord {
  return {
    slug: article.slug,
    title: article.title,
    description: article.description,
    tagList: article.articleTags.map((articleTag) => articleTag.tag.name),
    createdAt: article.createdAt,
    updatedAt: article.updatedAt,
    favorited: article.viewerFavorite != null,
    favoritesCount: article.favoritesCount,
    author: toProfile(article.author),
  };
}

function toArticle(article: Article): ArticleRecord {
  return { ...toArticleSummary(article), body: article.content };
}

function toComment(comment: Comment): CommentRecord {
  return {
    id: comment.id,
    body: comment.body,
    createdAt: comment.createdAt,
    updatedAt: comment.updatedAt,
    author: toProfile(comment.author),
  };
}

/**
 * Runs an operation whose statements share one connection (a transaction). If node-postgres reports that connection lost between two of them, TypeORM releases it
 * and the next statement fails with `QueryRunnerAlreadyReleasedError`, no cause given; the store
 * never holds a query runner itself, so that error means a lost connection (see
 * `watchLostConnections`). It is thrown as it is, with the pool's last lost-connection error, from
 * during this operation, as its `cause`: a lost connection is a 503, not a 500.
 */
async function onOneConnection<T>(lostConnections: LostConnections, operation: () => Promise<T>): Promise<T> {
  const lostBefore = lostConnections.count;
  try {
    return await operation();
  } catch (error) {
    if (error instanceof QueryRunnerAlreadyReleasedError && lostConnections.count > lostBefore) {
      error.cause ??= lostConnections.last;
    }
    throw error;
  }
}

const UNIQUE_VIOLATION = "23505";

/**
 * TypeORM wraps the driver's error in a QueryFailedError; node-postgres names the constraint, or
 * the unique index (`users_email_lower_key`), which the canonical names map to a field.
 */
function asConflict(error: unknown): unknown {
  if (error instanceof QueryFailedError) {
    const cause: unknown = error.driverError;
    if (cause instanceof pg.DatabaseError && cause.code === UNIQUE_VIOLATION && cause.constraint) {
      const field = conflictFieldOf(cause.constraint);
      if (field) return new ConflictError(field, { cause: error });
    }
  }
  return error;
}
