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
  type UserCredentials,
  type UserRecord,
} from "@arena/api";
import {
  type EntityManager,
  type FilterQuery,
  type FindOptions,
  type QBFilterQuery,
  type QueryOrderMap,
  raw,
  sql,
  UniqueConstraintViolationException,
} from "@mikro-orm/postgresql";
import { createOrm } from "./db.js";
import { Article, Comment, Favorite, Follow, Tag, User } from "./entities.js";

/**
 * MikroORM as its documentation uses it: entities, an EntityManager forked per call, the Unit of
 * Work for entity writes, and populate hints for reads. Reads that show relations ask for the
 * `joined` loading strategy (one statement), not MikroORM 7's default `balanced` (a statement per
 * to-many relation): see `JOINED` below.
 */
export async function createStore(config: StoreConfig): Promise<ConduitStore> {
  const orm = await createOrm(config);

  /**
   * Every store call works in its own fork of the EntityManager: a fresh identity map and unit of
   * work, so nothing loaded for one request is seen by another. The store is called once or twice
   * per request from a shared HTTP layer that knows nothing of MikroORM, so a fork per call is the
   * explicit form of what `RequestContext` middleware would do implicitly.
   */
  const fork = () => orm.em.fork();

  /**
   * One page of articles and the count of all matches, in three statements: the page's ids, the
   * count, then the articles by id with everything they show. Loading the page in one query would
   * join the collections (tags, the viewer's rows) under LIMIT, which MikroORM answers with a
   * subquery grouping every matching article with its joined rows: 1.6 s for 20,000 articles. Not
   * `findAndCount` either: it hands `populateWhere` to the count, where it narrows the filter's join.
   */
  async function page(where: QBFilterQuery<Article>, { limit, offset }: Page, viewerId: number | null) {
    const [onPage, articlesCount] = await Promise.all([
      // The ids only, as plain rows: the query builder's `execute()` sends the SQL `em.find` with
      // `fields: ["id"]` sends, without making 20 partial entities (0.27 against 0.63 ms of CPU).
      fork()
        .createQueryBuilder(Article)
        .select("id")
        .where(where)
        .orderBy(NEWEST_FIRST)
        .limit(limit)
        .offset(offset)
        .execute("all"),
      fork().count(Article, where),
    ]);
    if (onPage.length === 0) return { articles: [], articlesCount };
    // A typed filter of its own: written inline next to the spread `asSeenBy` options, the literal
    // fails to type-check (`'id' does not exist in type ...`) with MikroORM 7's types.
    const onThisPage: FilterQuery<Article> = { id: onPage.map((article) => article.id) };
    const articles = await fork().find(Article, onThisPage, {
      ...asSeenBy(viewerId),
      exclude: ["content"],
      orderBy: NEWEST_FIRST,
    });
    return { articles: articles.map(toArticleSummary), articlesCount } satisfies ArticlePage;
  }

  async function findArticle(where: FilterQuery<Article>, viewerId: number | null): Promise<ArticleRecord | null> {
    const article = await fork().findOne(Article, where, asSeenBy(viewerId));
    return article ? toArticle(article) : null;
  }

  /**
   * The tags with these names, created if absent. `upsertMany` inserts the missing ones with
   * `ON CONFLICT DO NOTHING` (in sorted order, so concurrent creators cannot deadlock) and then
   * reads all of them back in a second statement, whose fresh snapshot also sees the tags a
   * concurrent request created: no tag is ever lost.
   */
  async function tagsNamed(em: EntityManager, names: string[]): Promise<Tag[]> {
    if (names.length === 0) return [];
    return em.upsertMany(
      Tag,
      [...names].sort().map((name) => ({ name })),
      { onConflictFields: ["name"], onConflictAction: "ignore" },
    );
  }

  return {
    // --- Users -----------------------------------------------------------------------------------

    async createUser(user) {
      const em = fork();
      // `em.create` also persists: the flush inserts it.
      const created = em.create(User, user);
      await mapConflicts(em.flush());
      return toUser(created);
    },

    async findCredentialsByEmail(email) {
      // RAW SQL ESCAPE HATCH: `lower(email) = lower('...')`, the form the unique index on
      // lower(email) serves. MikroORM's documented way to filter on a function of a column is a
      // raw fragment as the key (`sql.lower`, the helper for `raw("lower(email)")`), and a raw
      // fragment with a parameter as the value; the email is escaped and inlined like any value.
      const user = await fork().findOne(
        User,
        { [sql.lower("email")]: raw("lower(?)", [email]) },
        { populate: ["passwordHash"] },
      );
      return user ? toCredentials(user) : null;
    },

    async findUserById(id) {
      const user = await fork().findOne(User, id);
      return user ? toUser(user) : null;
    },

    async updateUser(id, changes) {
      const em = fork();
      const user = await em.findOne(User, id);
      if (!user) return null;
      em.assign(user, definedOnly(changes));
      await mapConflicts(em.flush());
      return toUser(user);
    },

    // --- Profiles --------------------------------------------------------------------------------

    async getProfile(username, viewerId) {
      const user = await fork().findOne(User, { username }, followedBy(viewerId));
      return user ? toProfile(user) : null;
    },

    async followUser(followerId, username) {
      const em = fork();
      const user = await em.findOne(User, { username });
      if (!user) return null;
      // Following twice is not an error: the Unit of Work has no "insert if absent", the query builder has.
      await em
        .createQueryBuilder(Follow)
        .insert({ follower: followerId, followee: user.id })
        .onConflict()
        .ignore()
        .execute();
      return { ...toProfile(user), following: true };
    },

    async unfollowUser(followerId, username) {
      const em = fork();
      const user = await em.findOne(User, { username });
      if (!user) return null;
      await em.nativeDelete(Follow, { follower: followerId, followee: user.id });
      return { ...toProfile(user), following: false };
    },

    // --- Articles --------------------------------------------------------------------------------

    async listArticles(filter: ArticleFilter, viewerId) {
      return page(
        {
          ...(filter.tag !== undefined && { tags: { name: filter.tag } }),
          ...(filter.author !== undefined && { author: { username: filter.author } }),
          ...(filter.favorited !== undefined && { favorites: { user: { username: filter.favorited } } }),
        },
        filter,
        viewerId,
      );
    },

    async listFeed(pageRequest, viewerId) {
      // The followees' ids first, then `author: { $in: ids }`, a plain `author_id IN (...)` of
      // values. The collection operator `$some` sends `author_id IN (SELECT ... FROM follows)`,
      // which PostgreSQL plans as a semi-join walking the created_at index and probing follows per
      // article: on the buffer guard's data set, 121 buffers for the ids and 90 for the count,
      // against 24 and 25 with the values, for one more statement of 3 (pitfalls.json). A plain
      // `{ followers: { follower } }` would join the to-many follows and group every followed
      // article (3,076 shared buffers a request on the bench's data set).
      const followed = await fork()
        .createQueryBuilder(Follow)
        .select("followee")
        .where({ follower: viewerId })
        .execute("all");
      if (followed.length === 0) return { articles: [], articlesCount: 0 };
      return page(
        { author: { $in: followed.map((follow) => follow.followee as unknown as number) } },
        pageRequest,
        viewerId,
      );
    },

    async getArticle(slug, viewerId) {
      return findArticle({ slug }, viewerId);
    },

    async findArticleOwner(slug) {
      const article = await fork().findOne(Article, { slug }, { fields: ["author"] });
      return article ? { articleId: article.id, authorId: article.author.id } : null;
    },

    async createArticle(authorId, { tagList, body, ...fields }: NewArticleRecord) {
      const em = fork();
      // `transactional` flushes the unit of work before it commits.
      const article = await mapConflicts(
        em.transactional(async (tx) =>
          tx.create(Article, { ...fields, content: body, author: authorId, tags: await tagsNamed(tx, tagList) }),
        ),
      );
      return (await findArticle({ id: article.id }, authorId)) as ArticleRecord;
    },

    async updateArticle(articleId, { tagList, body, ...fields }: ArticleChanges, viewerId) {
      await fork().transactional(async (em) => {
        const article = await em.findOneOrFail(Article, articleId, { populate: tagList ? ["tags"] : [], ...JOINED });
        // `updatedAt` explicitly: its onUpdate hook runs only when a column changes, and a new tag
        // list or an unchanged title must still mark the article updated.
        em.assign(article, { ...definedOnly({ ...fields, content: body }), updatedAt: new Date() });
        // The unit of work diffs the collection: it deletes the links that went and inserts the new ones.
        if (tagList) article.tags.set(await tagsNamed(em, tagList));
      });
      return (await findArticle({ id: articleId }, viewerId)) as ArticleRecord;
    },

    async deleteArticle(articleId) {
      // Comments, favorites and tag links go with it: ON DELETE CASCADE.
      const em = fork();
      await em.remove(em.getReference(Article, articleId)).flush();
    },

    // --- Favorites -------------------------------------------------------------------------------

    async favoriteArticle(slug, userId) {
      const em = fork();
      const article = await em.findOne(Article, { slug }, { fields: ["id"] });
      if (!article) return null;
      await em
        .createQueryBuilder(Favorite)
        .insert({ user: userId, article: article.id })
        .onConflict()
        .ignore()
        .execute();
      return findArticle({ id: article.id }, userId);
    },

    async unfavoriteArticle(slug, userId) {
      const em = fork();
      const article = await em.findOne(Article, { slug }, { fields: ["id"] });
      if (!article) return null;
      await em.nativeDelete(Favorite, { user: userId, article: article.id });
      return findArticle({ id: article.id }, userId);
    },

    // --- Comments --------------------------------------------------------------------------------

    async listComments(slug, viewerId) {
      // The article with its comments, their authors and the viewer's follow rows in one statement;
      // the article joins first, so an article without comments still answers `[]`, not `null`.
      const article = await fork().findOne(
        Article,
        { slug },
        {
          fields: ["id", "comments"],
          populate: ["comments.author.followers"],
          populateWhere: { comments: { author: { followers: { follower: viewerId } } } },
          populateOrderBy: { comments: NEWEST_FIRST },
          ...JOINED,
        },
      );
      return article ? article.comments.getItems().map(toComment) : null;
    },

    async addComment(slug, authorId, body) {
      const em = fork();
      const article = await em.findOne(Article, { slug }, { fields: ["id"] });
      if (!article) return null;
      // The response shows the author as they see themselves (a user may follow themselves).
      const author = await em.findOneOrFail(User, authorId, followedBy(authorId));
      const comment = em.create(Comment, { body, article: article.id, author });
      await em.flush();
      return toComment(comment);
    },

    async findCommentOwner(slug, commentId) {
      const article = await fork().findOne(
        Article,
        { slug },
        {
          fields: ["comments.author"],
          populate: ["comments"],
          populateWhere: { comments: { id: commentId } },
          ...JOINED,
        },
      );
      if (!article) return null;
      return { articleId: article.id, commentAuthorId: article.comments.getItems()[0]?.author.id ?? null };
    },

    async deleteComment(commentId) {
      const em = fork();
      await em.remove(em.getReference(Comment, commentId)).flush();
    },

    // --- Tags ------------------------------------------------------------------------------------

    async listTags() {
      // The names are only serialised, so no entities: the query builder's `execute()` returns the
      // rows as plain objects (property names mapped, nothing hydrated or put in the identity map).
      // `findAll(Tag, { fields: ["name"] })` built 300 managed entities: 5x the CPU per request.
      const rows = await fork().createQueryBuilder(Tag).select("name").execute("all");
      return rows.map((tag) => tag.name);
    },

    // --- Lifecycle -------------------------------------------------------------------------------

    async ping() {
      const connection = await orm.checkConnection();
      if (!connection.ok) throw connection.error ?? new Error(connection.reason);
    },

    async close() {
      await orm.close();
    },
  };
}

// --- Load hints and mapping -------------------------------------------------------------------------

const NEWEST_FIRST = { createdAt: "desc", id: "desc" } as const satisfies QueryOrderMap<Article>;

/**
 * The loading strategy of every read that populates a collection. MikroORM 7's default, `balanced`,
 * joins to-one relations and loads each to-many relation (tags, the viewer's follow and favorite
 * rows, comments) with a statement of its own; `joined` joins them all into one statement, as
 * MikroORM 6 did by default and as the baseline's SQL does. The collections here are small (a few
 * tags, the viewer's one row, one article's comments) and never paged with LIMIT (lists page their
 * ids first), so the joined rows stay few and one round trip beats up to four.
 */
const JOINED = { strategy: "joined" } as const satisfies FindOptions<Article>;

/**
 * Populates the viewer's own follow row, if any, into `followers`: the join is restricted to the
 * viewer, so the collection answers "does the viewer follow this user". Anonymous viewers need no
 * such row.
 */
function followedBy(viewerId: number | null): FindOptions<User, "followers"> {
  if (viewerId === null) return {};
  return { populate: ["followers"], populateWhere: { followers: { follower: viewerId } }, ...JOINED };
}

type ArticleView = "author" | "author.followers" | "tags" | "favorites" | "favoritesCount";

/**
 * Everything an article response shows, as the viewer sees it: the author with the viewer's follow
 * row, the tags, the viewer's favorite row and the count of all favorites (a lazy formula,
 * populated by name).
 */
function asSeenBy(viewerId: number | null): FindOptions<Article, ArticleView> {
  if (viewerId === null) return { populate: ["author", "tags", "favoritesCount"], ...JOINED };
  return {
    populate: ["author.followers", "tags", "favorites", "favoritesCount"],
    populateWhere: { favorites: { user: viewerId }, author: { followers: { follower: viewerId } } },
    ...JOINED,
  };
}

function toUser(user: User): UserRecord {
  return { id: user.id, email: user.email, username: user.username, bio: user.bio ?? null, image: user.image ?? null };
}

function toCredentials(user: User): UserCredentials {
  return { ...toUser(user), passwordHash: user.passwordHash };
}

function toProfile(user: User): ProfileRecord {
  return {
    username: user.username,
    bio: user.bio ?? null,
    image: user.image ?? null,
    following: user.followers.isInitialized() && user.followers.length > 0,
  };
}

/** What a list shows of an article: everything but its content. */
type ArticleSummary = Pick<
  Article,
  "slug" | "title" | "description" | "tags" | "createdAt" | "updatedAt" | "favorites" | "favoritesCount" | "author"
>;

function toArticleSummary(article: ArticleSummary): ArticleSummaryRecord {
  return {
    slug: article.slug,
    title: article.title,
    description: article.description,
    tagList: article.tags.getItems().map((tag) => tag.name),
    createdAt: article.createdAt,
    updatedAt: article.updatedAt,
    favorited: article.favorites.isInitialized() && article.favorites.length > 0,
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

/** The given changes without the absent ones, which `em.assign` would otherwise set to `undefined`. */
function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** Awaits a write, turning a unique violation into the API's ConflictError. */
async function mapConflicts<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    throw asConflict(error);
  }
}

/** MikroORM converts SQLSTATE 23505 to its own exception, which keeps the driver error's fields. */
function asConflict(error: unknown): unknown {
  if (error instanceof UniqueConstraintViolationException) {
    const { constraint } = error as { constraint?: string };
    const field = conflictFieldOf(constraint);
    if (field) return new ConflictError(field, { cause: error });
  }
  return error;
}
