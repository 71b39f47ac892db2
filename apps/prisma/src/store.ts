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
} from "@arena/api";
import { createPrismaClient } from "./db.js";
import { Prisma } from "./generated/prisma/client.js";

/**
 * The Conduit store on Prisma Client: every read is one `findUnique`/`findMany` whose nested
 * `select` (with `_count` and filtered relations for the viewer) Prisma turns into one SQL statement
 * with lateral joins (the `relationJoins` preview feature); writes through a relation are nested
 * writes, and tag upserts run in an interactive transaction.
 */
export function createStore(config: StoreConfig): ConduitStore {
  const prisma = createPrismaClient(config);

  /**
   * One page of articles and the count of all matches, ids first. The page's ids and the count are
   * two independent reads, sent at once; then the page's articles are read by id with their
   * relations. Why not one `findMany({ where, select, skip, take })`: with `relationJoins` Prisma puts
   * `LIMIT/OFFSET` on top of the relations' lateral joins, so PostgreSQL builds the author, tags and
   * favorites of every row it skips (at offset 15,890: 110,884 buffers and 1.26 s, against 57
   * buffers for the ids alone). Paging ids first keeps the laterals to the page's rows.
   */
  async function page(where: Prisma.ArticleWhereInput, { limit, offset }: Page, viewerId: number | null) {
    const [pageIds, articlesCount] = await Promise.all([
      prisma.article.findMany({
        where,
        select: { id: true },
        orderBy: NEWEST_ARTICLES_FIRST,
        skip: offset,
        take: limit,
      }),
      prisma.article.count({ where }),
    ]);
    if (pageIds.length === 0) return { articles: [], articlesCount } satisfies ArticlePage;
    const articles = await prisma.article.findMany({
      where: { id: { in: pageIds.map((article) => article.id) } },
      select: articleSummarySelect(viewerId),
      orderBy: NEWEST_ARTICLES_FIRST,
    });
    return { articles: articles.map(toArticleSummary), articlesCount } satisfies ArticlePage;
  }

  /**
   * The ids of these tags, inserting the missing ones, inside the caller's transaction. Two
   * statements on purpose: the `findMany` gets a new snapshot, so it sees tags that a concurrent
   * request committed (and that made `skipDuplicates` skip them). Sorted names keep concurrent
   * inserts from deadlocking.
   */
  async function tagIds(tx: Prisma.TransactionClient, names: string[]): Promise<number[]> {
    if (names.length === 0) return [];
    await tx.tag.createMany({ data: [...names].sort().map((name) => ({ name })), skipDuplicates: true });
    const tags = await tx.tag.findMany({ where: { name: { in: names } }, select: { id: true } });
    return tags.map((tag) => tag.id);
  }

  return {
    // --- Users -----------------------------------------------------------------------------------

    async createUser(user) {
      try {
        return await prisma.user.create({ data: user, select: USER_SELECT });
      } catch (error) {
        throw asConflict(error);
      }
    },

    async findCredentialsByEmail(email) {
      // RAW SQL ESCAPE HATCH: Prisma's documented case-insensitive filter,
      // `{ email: { equals: email, mode: "insensitive" } }`, is sent as `"email" ILIKE $1` (Prisma
      // 7.10 on adapter-pg, logged): `_` and `%` in the address act as wildcards (`a_b@x.com` also
      // finds `axb@x.com`, `%@x.com` finds everyone), and ILIKE cannot use the unique index on
      // lower(email). Nothing in Prisma Client filters on lower(column), and TypedSQL needs the schema
      // engine to generate, so this one lookup is `$queryRaw`, a tagged template (`email` is a bind
      // parameter), returning the same fields as the `select` it replaces.
      const rows = await prisma.$queryRaw<UserCredentials[]>`
        SELECT "id", "email", "username", "bio", "image", "password_hash" AS "passwordHash"
          FROM "users" WHERE lower("email") = lower(${email})`;
      return rows[0] ?? null;
    },

    async findUserById(id) {
      return prisma.user.findUnique({ where: { id }, select: USER_SELECT });
    },

    async updateUser(id, changes) {
      try {
        return await nullIfNotFound(prisma.user.update({ where: { id }, data: changes, select: USER_SELECT }));
      } catch (error) {
        throw asConflict(error);
      }
    },

    // --- Profiles --------------------------------------------------------------------------------

    async getProfile(username, viewerId) {
      const user = await prisma.user.findUnique({ where: { username }, select: profileSelect(viewerId) });
      return user && toProfile(user);
    },

    async followUser(followerId, username) {
      // A nested write: Prisma finds the user by username and inserts the follow in one transaction.
      const user = await nullIfNotFound(
        prisma.user.update({
          where: { username },
          data: { followers: { createMany: { data: [{ followerId }], skipDuplicates: true } } },
          select: { username: true, bio: true, image: true },
        }),
      );
      return user && { ...user, following: true };
    },

    async unfollowUser(followerId, username) {
      // A relation filter finds the follow by the followee's username: no lookup of the user's id.
      await prisma.follow.deleteMany({ where: { followerId, followee: { username } } });
      const user = await prisma.user.findUnique({
        where: { username },
        select: { username: true, bio: true, image: true },
      });
      return user && { ...user, following: false };
    },

    // --- Articles --------------------------------------------------------------------------------

    async listArticles({ tag, author, favorited, ...pageRequest }: ArticleFilter, viewerId) {
      return page(
        {
          tags: tag === undefined ? undefined : { some: { tag: { name: tag } } },
          author: author === undefined ? undefined : { username: author },
          favorites: favorited === undefined ? undefined : { some: { user: { username: favorited } } },
        },
        pageRequest,
        viewerId,
      );
    },

    async listFeed(pageRequest, viewerId) {
      // The followee ids first, then `authorId: { in: <values> }`. The relation filter
      // `author: { followers: { some: { followerId } } }` is an EXISTS over a join of users, which
      // PostgreSQL plans by walking the created_at index probing follows per article (README,
      // "Pitfalls, measured"); Prisma Client has no filter by a subquery.
      const followees = await prisma.follow.findMany({ where: { followerId: viewerId }, select: { followeeId: true } });
      if (followees.length === 0) return { articles: [], articlesCount: 0 };
      return page({ authorId: { in: followees.map((follow) => follow.followeeId) } }, pageRequest, viewerId);
    },

    async getArticle(slug, viewerId) {
      const article = await prisma.article.findUnique({ where: { slug }, select: articleSelect(viewerId) });
      return article && toArticle(article);
    },

    async findArticleOwner(slug) {
      const article = await prisma.article.findUnique({ where: { slug }, select: { id: true, authorId: true } });
      return article && { articleId: article.id, authorId: article.authorId };
    },

    async createArticle(authorId, { tagList, body, ...article }: NewArticleRecord) {
      try {
        const created = await prisma.$transaction(async (tx) => {
          const tags = (await tagIds(tx, tagList)).map((tagId) => ({ tagId }));
          return tx.article.create({
            data: { ...article, content: body, authorId, tags: { createMany: { data: tags } } },
            select: articleSelect(authorId),
          });
        });
        return toArticle(created);
      } catch (error) {
        throw asConflict(error);
      }
    },

    async updateArticle(articleId, { tagList, body, ...fields }: ArticleChanges, viewerId) {
      // @updatedAt only fires when a column of the row changes: a tags-only change must move it too.
      const data = { ...fields, content: body, updatedAt: new Date() };
      const select = articleSelect(viewerId);
      const updated =
        tagList === undefined
          ? await prisma.article.update({ where: { id: articleId }, data, select })
          : await prisma.$transaction(async (tx) => {
              const tags = (await tagIds(tx, tagList)).map((tagId) => ({ tagId }));
              return tx.article.update({
                where: { id: articleId },
                data: { ...data, tags: { deleteMany: {}, createMany: { data: tags } } },
                select,
              });
            });
      return toArticle(updated);
    },

    async deleteArticle(articleId) {
      // Comments, favorites and tag links go with it: ON DELETE CASCADE.
      await prisma.article.delete({ where: { id: articleId }, select: { id: true } });
    },

    // --- Favorites -------------------------------------------------------------------------------

    async favoriteArticle(slug, userId) {
      // A nested write: the article is found by slug, the favorite inserted (or kept) and the
      // article read back with the new count, all in Prisma's transaction.
      const article = await nullIfNotFound(
        prisma.article.update({
          where: { slug },
          data: { favorites: { createMany: { data: [{ userId }], skipDuplicates: true } } },
          select: articleSelect(userId),
        }),
      );
      return article && toArticle(article);
    },

    async unfavoriteArticle(slug, userId) {
      // A relation filter finds the favorite by the article's slug: no lookup of the article's id.
      await prisma.favorite.deleteMany({ where: { userId, article: { slug } } });
      const article = await prisma.article.findUnique({ where: { slug }, select: articleSelect(userId) });
      return article && toArticle(article);
    },

    // --- Comments --------------------------------------------------------------------------------

    async listComments(slug, viewerId) {
      const article = await prisma.article.findUnique({
        where: { slug },
        select: { comments: { select: commentSelect(viewerId), orderBy: NEWEST_COMMENTS_FIRST } },
      });
      return article ? article.comments.map(toComment) : null;
    },

    async addComment(slug, authorId, body) {
      const comment = await nullIfNotFound(
        prisma.comment.create({
          data: { body, article: { connect: { slug } }, author: { connect: { id: authorId } } },
          select: commentSelect(authorId),
        }),
      );
      return comment && toComment(comment);
    },

    async findCommentOwner(slug, commentId) {
      const article = await prisma.article.findUnique({
        where: { slug },
        select: { id: true, comments: { where: { id: commentId }, select: { authorId: true } } },
      });
      return article && { articleId: article.id, commentAuthorId: article.comments[0]?.authorId ?? null };
    },

    async deleteComment(commentId) {
      await prisma.comment.delete({ where: { id: commentId }, select: { id: true } });
    },

    // --- Tags ------------------------------------------------------------------------------------

    async listTags() {
      const tags = await prisma.tag.findMany({ select: { name: true } });
      return tags.map((tag) => tag.name);
    },

    // --- Lifecycle -------------------------------------------------------------------------------

    async ping() {
      // RAW SQL ESCAPE HATCH: a health check is one trivial round trip, and every Prisma Client
      // query reads a table; `$queryRaw` is Prisma's own way to send `SELECT 1`.
      await prisma.$queryRaw`SELECT 1`;
    },

    async close() {
      await prisma.$disconnect();
    },
  };
}

// --- Selections and mapping -----------------------------------------------------------------------

const USER_SELECT = { id: true, email: true, username: true, bio: true, image: true } satisfies Prisma.UserSelect;

const NEWEST_ARTICLES_FIRST = [
  { createdAt: "desc" },
  { id: "desc" },
] satisfies Prisma.ArticleOrderByWithRelationInput[];

const NEWEST_COMMENTS_FIRST = [
  { createdAt: "desc" },
  { id: "desc" },
] satisfies Prisma.CommentOrderByWithRelationInput[];

/** Matches the viewer's own rows; an anonymous viewer matches none. */
function viewer(viewerId: number | null) {
  return { in: viewerId === null ? [] : [viewerId] };
}

/** A user as `viewerId` sees them: `followers` holds at most the viewer's own follow. */
function profileSelect(viewerId: number | null) {
  return {
    username: true,
    bio: true,
    image: true,
    followers: { where: { followerId: viewer(viewerId) }, select: { followerId: true } },
  } satisfies Prisma.UserSelect;
}

/** An article as `viewerId` sees it, without its body: `favorites` holds at most the viewer's own. */
function articleSummarySelect(viewerId: number | null) {
  return {
    slug: true,
    title: true,
    description: true,
    createdAt: true,
    updatedAt: true,
    author: { select: profileSelect(viewerId) },
    tags: { select: { tag: { select: { name: true } } } },
    favorites: { where: { userId: viewer(viewerId) }, select: { userId: true } },
    _count: { select: { favorites: true } },
  } satisfies Prisma.ArticleSelect;
}

function articleSelect(viewerId: number | null) {
  return { ...articleSummarySelect(viewerId), content: true } satisfies Prisma.ArticleSelect;
}

function commentSelect(viewerId: number | null) {
  return {
    id: true,
    body: true,
    createdAt: true,
    updatedAt: true,
    author: { select: profileSelect(viewerId) },
  } satisfies Prisma.CommentSelect;
}

type ProfileRow = Prisma.UserGetPayload<{ select: ReturnType<typeof profileSelect> }>;
type ArticleSummaryRow = Prisma.ArticleGetPayload<{ select: ReturnType<typeof articleSummarySelect> }>;
type ArticleRow = Prisma.ArticleGetPayload<{ select: ReturnType<typeof articleSelect> }>;
type CommentRow = Prisma.CommentGetPayload<{ select: ReturnType<typeof commentSelect> }>;

function toProfile({ username, bio, image, followers }: ProfileRow): ProfileRecord {
  return { username, bio, image, following: followers.length > 0 };
}

function toArticleSummary(row: ArticleSummaryRow): ArticleSummaryRecord {
  return {
    slug: row.slug,
    title: row.title,
    description: row.description,
    tagList: row.tags.map((link) => link.tag.name),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    favorited: row.favorites.length > 0,
    favoritesCount: row._count.favorites,
    author: toProfile(row.author),
  };
}

function toArticle(row: ArticleRow): ArticleRecord {
  return { ...toArticleSummary(row), body: row.content };
}

function toComment(row: CommentRow): CommentRecord {
  return {
    id: row.id,
    body: row.body,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    author: toProfile(row.author),
  };
}

// --- Errors ----------------------------------------------------------------------------------------

/** P2002 is Prisma's unique violation; through a driver adapter it names the violated index. */
function asConflict(error: unknown): unknown {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    const adapterError = error.meta?.driverAdapterError as { cause?: { constraint?: { index?: string } } } | undefined;
    const field = conflictFieldOf(adapterError?.cause?.constraint?.index);
    if (field) return new ConflictError(field, { cause: error });
  }
  return error;
}

/** P2025: the record a write needed (the row to update, the record to connect) does not exist. */
async function nullIfNotFound<T>(write: Promise<T>): Promise<T | null> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025") return null;
    throw error;
  }
}
