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
import pg from "pg";
import {
  type CreationAttributes,
  col,
  fn,
  type Order,
  type ScopeOptions,
  type Transaction,
  UniqueConstraintError,
  type WhereOptions,
  where,
} from "sequelize";
import { createSequelize } from "./db.js";
import { Article, ArticleTag, Comment, Favorite, Follow, initModels, Tag, User } from "./models.js";
import { addScopes, articleScope, authorAsSeenBy, userScope } from "./scopes.js";

/**
 * Sequelize models over node-postgres: finders with includes and scopes, managed transactions
 * for writes that touch several tables, and `UniqueConstraintError` mapped to the API's conflicts.
 */
export function createStore(config: StoreConfig): ConduitStore {
  const sequelize = createSequelize(config);
  initModels(sequelize);
  addScopes();

  async function articleWhere(where: WhereOptions<Article>, viewerId: number | null): Promise<ArticleRecord | null> {
    const article = await Article.scope(articleScope("asSeenBy", viewerId)).findOne({ where });
    return article ? toArticle(article) : null;
  }

  /**
   * A page and the count of all matches: `findAndCountAll` without its flaws. The count takes the
   * filter scopes only (findAndCountAll would count over the page's joins too: tags, flags). The
   * page is read ids first: the filters page the ids (`raw`: plain rows, no instances), then the
   * articles of those ids are read with everything a response needs. Why not one `findAll` with
   * `limit`/`offset`: the to-many `tags` include makes Sequelize page the articles in a subquery, and
   * the `favoritesCount` attribute lands inside it, so PostgreSQL counts the favorites of every row
   * it skips (at offset 15,890: 35,796 buffers, against 3,982 for pg).
   */
  async function page(filters: ScopeOptions[], { limit, offset }: Page, viewerId: number | null): Promise<ArticlePage> {
    const [articlesCount, pageIds] = await Promise.all([
      Article.scope(filters).count(),
      Article.scope(filters).findAll({ attributes: ["id"], order: NEWEST_ARTICLES_FIRST, limit, offset, raw: true }),
    ]);
    if (pageIds.length === 0) return { articles: [], articlesCount };
    const articles = await Article.scope(articleScope("asSeenBy", viewerId)).findAll({
      where: { id: pageIds.map((article) => article.id) },
      order: NEWEST_ARTICLES_FIRST,
    });
    return { articles: articles.map(toArticleSummary), articlesCount };
  }

  async function linkTags(articleId: number, names: string[], transaction: Transaction): Promise<void> {
    if (names.length === 0) return;
    // Insert-if-absent, then read in a second statement on purpose: its snapshot sees tags that a
    // concurrent request inserted (and that made this insert skip them), so no tag is ever lost.
    // Sorted names keep concurrent inserts from deadlocking.
    const rows = [...names].sort().map((name) => ({ name }));
    await Tag.bulkCreate(rows, { ignoreDuplicates: true, returning: false, transaction });
    const tags = await Tag.findAll({ where: { name: names }, attributes: ["id"], transaction });
    await ArticleTag.bulkCreate(
      tags.map((tag) => ({ articleId, tagId: tag.id })),
      { returning: false, transaction },
    );
  }

  return {
    // --- Users -----------------------------------------------------------------------------------

    async createUser(user) {
      try {
        return toUser(await User.create(user));
      } catch (error) {
        throw asConflict(error);
      }
    },

    async findCredentialsByEmail(email): Promise<UserCredentials | null> {
      // lower(email) = lower($1), the expression `users_email_lower_key` indexes: Sequelize's
      // documented way to compare the result of a function (`sequelize.where` with `fn`).
      const user = await User.findOne({
        where: where(fn("lower", col("email")), fn("lower", email)),
        attributes: [...USER_ATTRIBUTES, "passwordHash"],
        raw: true,
      });
      return user ? { ...toUser(user), passwordHash: user.passwordHash } : null;
    },

    async findUserById(id) {
      const user = await User.findByPk(id, { attributes: USER_ATTRIBUTES, raw: true });
      return user ? toUser(user) : null;
    },

    async updateUser(id, changes) {
      try {
        const [, [updated]] = await User.update(changes, { where: { id }, returning: USER_ATTRIBUTES });
        return updated ? toUser(updated) : null;
      } catch (error) {
        throw asConflict(error);
      }
    },

    // --- Profiles --------------------------------------------------------------------------------

    async getProfile(username, viewerId) {
      const user = await User.scope(userScope("profileFor", viewerId)).findOne({ where: { username } });
      return user ? toProfile(user) : null;
    },

    async followUser(followerId, username) {
      const followee = await User.scope(userScope("profileFor", null)).findOne({ where: { username }, raw: true });
      if (!followee) return null;
      await Follow.bulkCreate([{ followerId, followeeId: followee.id }], { ignoreDuplicates: true, returning: false });
      return { ...toProfile(followee), following: true };
    },

    async unfollowUser(followerId, username) {
      const followee = await User.scope(userScope("profileFor", null)).findOne({ where: { username }, raw: true });
      if (!followee) return null;
      await Follow.destroy({ where: { followerId, followeeId: followee.id } });
      return { ...toProfile(followee), following: false };
    },

    // --- Articles --------------------------------------------------------------------------------

    async listArticles(filter: ArticleFilter, viewerId) {
      const filters: ScopeOptions[] = [];
      if (filter.tag !== undefined) filters.push(articleScope("taggedWith", filter.tag));
      if (filter.author !== undefined) filters.push(articleScope("writtenBy", filter.author));
      if (filter.favorited !== undefined) filters.push(articleScope("favoritedBy", filter.favorited));
      return page(filters, filter, viewerId);
    },

    async listFeed(pageRequest, viewerId) {
      // The followee ids first, then a filter by their values (scope `writtenByAnyOf`).
      const followees = await Follow.findAll({
        where: { followerId: viewerId },
        attributes: ["followeeId"],
        raw: true,
      });
      if (followees.length === 0) return { articles: [], articlesCount: 0 };
      const authorIds = followees.map((follow) => follow.followeeId);
      return page([articleScope("writtenByAnyOf", authorIds)], pageRequest, viewerId);
    },

    async getArticle(slug, viewerId) {
      return articleWhere({ slug }, viewerId);
    },

    async findArticleOwner(slug) {
      const article = await Article.findOne({ where: { slug }, attributes: ["id", "authorId"], raw: true });
      return article ? { articleId: article.id, authorId: article.authorId } : null;
    },

    async createArticle(authorId, article: NewArticleRecord) {
      const { tagList, body, ...fields } = article;
      let articleId: number;
      try {
        articleId = await sequelize.transaction(async (transaction) => {
          const { id } = await Article.create({ ...fields, content: body, authorId }, { transaction });
          await linkTags(id, tagList, transaction);
          return id;
        });
      } catch (error) {
        throw asConflict(error);
      }
      return (await articleWhere({ id: articleId }, authorId)) as ArticleRecord;
    },

    async updateArticle(articleId, changes: ArticleChanges, viewerId) {
      const { tagList, body, ...fields } = changes;
      // The caller checked that the article exists: an instance of its row, without a SELECT.
      // `updatedAt` is marked changed so that `save` bumps it even when only the tags change
      // (static `Article.update` skips a statement that would set nothing but `updatedAt`).
      const row = { id: articleId } as CreationAttributes<Article>;
      const article = Article.build(row, { isNewRecord: false, raw: true });
      article.set(body === undefined ? fields : { ...fields, content: body });
      article.changed("updatedAt", true);
      if (tagList === undefined) {
        await article.save();
      } else {
        await sequelize.transaction(async (transaction) => {
          await article.save({ transaction });
          await ArticleTag.destroy({ where: { articleId }, transaction });
          await linkTags(articleId, tagList, transaction);
        });
      }
      return (await articleWhere({ id: articleId }, viewerId)) as ArticleRecord;
    },

    async deleteArticle(articleId) {
      // Comments, favorites and tag links go with it: ON DELETE CASCADE.
      await Article.destroy({ where: { id: articleId } });
    },

    // --- Favorites -------------------------------------------------------------------------------

    async favoriteArticle(slug, userId) {
      const article = await Article.findOne({ where: { slug }, attributes: ["id"], raw: true });
      if (!article) return null;
      await Favorite.bulkCreate([{ userId, articleId: article.id }], { ignoreDuplicates: true, returning: false });
      return articleWhere({ id: article.id }, userId);
    },

    async unfavoriteArticle(slug, userId) {
      const article = await Article.findOne({ where: { slug }, attributes: ["id"], raw: true });
      if (!article) return null;
      await Favorite.destroy({ where: { userId, articleId: article.id } });
      return articleWhere({ id: article.id }, userId);
    },

    // --- Comments --------------------------------------------------------------------------------

    async listComments(slug, viewerId) {
      // From the article, so an unknown slug (null) differs from an article without comments.
      const article = await Article.findOne({
        where: { slug },
        attributes: ["id"],
        include: [{ association: "comments", include: [authorAsSeenBy(viewerId)] }],
        order: [
          ["comments", "createdAt", "DESC"],
          ["comments", "id", "DESC"],
        ],
      });
      return article ? included(article.comments).map(toComment) : null;
    },

    async addComment(slug, authorId, body) {
      const article = await Article.findOne({ where: { slug }, attributes: ["id"], raw: true });
      if (!article) return null;
      const comment = await Comment.create({ body, articleId: article.id, authorId });
      await comment.reload({ include: [authorAsSeenBy(authorId)] });
      return toComment(comment);
    },

    async findCommentOwner(slug, commentId) {
      const article = await Article.findOne({
        where: { slug },
        attributes: ["id"],
        include: [{ association: "comments", where: { id: commentId }, required: false, attributes: ["authorId"] }],
      });
      if (!article) return null;
      return { articleId: article.id, commentAuthorId: included(article.comments)[0]?.authorId ?? null };
    },

    async deleteComment(commentId) {
      await Comment.destroy({ where: { id: commentId } });
    },

    // --- Tags ------------------------------------------------------------------------------------

    async listTags() {
      const tags = await Tag.findAll({ attributes: ["name"], raw: true });
      return tags.map((tag) => tag.name);
    },

    // --- Lifecycle -------------------------------------------------------------------------------

    async ping() {
      await sequelize.authenticate();
    },

    async close() {
      await sequelize.close();
    },
  };
}

// --- Mapping instances to records -----------------------------------------------------------------

const NEWEST_ARTICLES_FIRST: Order = [
  ["createdAt", "DESC"],
  ["id", "DESC"],
];

const USER_ATTRIBUTES = ["id", "email", "username", "bio", "image"] satisfies (keyof UserRecord)[];

/** An association the query included: Sequelize leaves it undefined when it was not. */
function included<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("association not included in the query");
  return value;
}

function toUser(user: User): UserRecord {
  return { id: user.id, email: user.email, username: user.username, bio: user.bio, image: user.image };
}

function toProfile(user: User): ProfileRecord {
  return {
    username: user.username,
    bio: user.bio,
    image: user.image,
    following: (user.followerLinks ?? []).length > 0,
  };
}

function toArticleSummary(article: Article): ArticleSummaryRecord {
  return {
    slug: article.slug,
    title: article.title,
    description: article.description,
    tagList: included(article.tags).map((tag) => tag.name),
    createdAt: article.createdAt,
    updatedAt: article.updatedAt,
    favorited: (article.favoriteLinks ?? []).length > 0,
    favoritesCount: Number(article.get("favoritesCount")),
    author: toProfile(included(article.author)),
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
    author: toProfile(included(comment.author)),
  };
}

/**
 * Sequelize reports a unique violation as `UniqueConstraintError`. Its `fields` are parsed from the
 * error's detail (`lower(email)` for the expression index), so the violated constraint's or index's
 * name is read from the node-postgres error it wraps (`parent`) and mapped by its canonical name.
 */
function asConflict(error: unknown): unknown {
  if (error instanceof UniqueConstraintError && error.parent instanceof pg.DatabaseError) {
    const field = conflictFieldOf(error.parent.constraint);
    if (field) return new ConflictError(field, { cause: error });
  }
  return error;
}
