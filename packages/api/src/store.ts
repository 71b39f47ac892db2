/**
 * The ConduitStore port: the one interface each app implements with its ORM. The shared API layer
 * does everything else (HTTP, validation, JWT, password hashing, slugs, authorization, errors).
 *
 * Methods are shaped by use case rather than by table, so that each ORM can answer a use case with
 * its best strategy (one query with joins, a relation loader, a batch) and the comparison measures
 * that strategy. Rules every implementation follows:
 *
 * - Ids are the integer primary keys of the canonical schema (`docs/schema.md`).
 * - "Viewer" is the signed-in user a response is personalised for (`following`, `favorited`), or
 *   `null` for an anonymous request.
 * - Lists are ordered newest first (`created_at DESC, id DESC`). Tags come in any order: the API
 *   layer sorts them, so collations cannot make apps differ.
 * - A unique-constraint violation is thrown as {@link ConflictError}, mapped from the ORM's own
 *   error type; every other database error propagates unchanged.
 * - Writes that touch several tables run in one transaction.
 */
export interface ConduitStore {
  // --- Users -----------------------------------------------------------------------------------

  /**
   * Inserts a user. Throws {@link ConflictError} (`username` or `email`) when either is taken,
   * including when a concurrent registration wins the race. Emails are unique regardless of case
   * (schema v2: a unique index on `lower(email)`); the email is stored as given.
   */
  createUser(user: NewUserRecord): Promise<UserRecord>;

  /**
   * The user whose email equals this one regardless of case (`lower(email) = lower($1)`, which the
   * unique index on `lower(email)` serves), with its password hash, for login; `null` when unknown.
   */
  findCredentialsByEmail(email: string): Promise<UserCredentials | null>;

  /** The user with this id, for `GET /user` and after a token is verified; `null` when unknown. */
  findUserById(id: number): Promise<UserRecord | null>;

  /**
   * Applies the given fields (absent fields are left alone; `null` clears bio or image) and returns
   * the updated user, or `null` when the user no longer exists. Throws {@link ConflictError} when
   * the new username or email is taken.
   */
  updateUser(id: number, changes: UserChanges): Promise<UserRecord | null>;

  // --- Profiles ----------------------------------------------------------------------------------

  /** The profile of `username` as `viewerId` sees it; `null` when there is no such user. */
  getProfile(username: string, viewerId: number | null): Promise<ProfileRecord | null>;

  /** Makes `followerId` follow `username` (idempotent); the profile afterwards, or `null` if unknown. */
  followUser(followerId: number, username: string): Promise<ProfileRecord | null>;

  /** Makes `followerId` stop following `username` (idempotent); the profile afterwards, or `null`. */
  unfollowUser(followerId: number, username: string): Promise<ProfileRecord | null>;

  // --- Articles ----------------------------------------------------------------------------------

  /**
   * One page of articles matching every given filter (tag name, author username, username of a
   * user who favorited), newest first, with `articlesCount` counting ALL matches. An unknown tag
   * or username matches nothing.
   */
  listArticles(filter: ArticleFilter, viewerId: number | null): Promise<ArticlePage>;

  /** One page of articles by authors `viewerId` follows, newest first, with the count of all of them. */
  listFeed(page: Page, viewerId: number): Promise<ArticlePage>;

  /** The article with this slug, as `viewerId` sees it; `null` when unknown. */
  getArticle(slug: string, viewerId: number | null): Promise<ArticleRecord | null>;

  /**
   * Who owns the article with this slug, so the API layer can decide whether a user may change it;
   * `null` when unknown.
   */
  findArticleOwner(slug: string): Promise<ArticleOwner | null>;

  /**
   * Inserts the article with its tags (creating tags that do not exist yet, safely against
   * concurrent requests creating the same tags) in one transaction, and returns it as its author
   * sees it. Throws {@link ConflictError} (`slug`) when the slug is taken.
   */
  createArticle(authorId: number, article: NewArticleRecord): Promise<ArticleRecord>;

  /**
   * Applies the given fields to the article (absent fields are left alone; `tagList` replaces the
   * tags, `[]` removes them all), sets `updated_at` to now, and returns it as `viewerId` sees it.
   * The caller has checked that the article exists and that the viewer owns it.
   */
  updateArticle(articleId: number, changes: ArticleChanges, viewerId: number): Promise<ArticleRecord>;

  /** Deletes the article with its comments, favorites and tag links. The caller checked ownership. */
  deleteArticle(articleId: number): Promise<void>;

  // --- Favorites ---------------------------------------------------------------------------------

  /** Marks the article as a favorite of `userId` (idempotent); the article afterwards, or `null`. */
  favoriteArticle(slug: string, userId: number): Promise<ArticleRecord | null>;

  /** Removes the favorite (idempotent); the article afterwards, or `null` when the slug is unknown. */
  unfavoriteArticle(slug: string, userId: number): Promise<ArticleRecord | null>;

  // --- Comments ----------------------------------------------------------------------------------

  /** The article's comments, newest first, as `viewerId` sees their authors; `null` if no such article. */
  listComments(slug: string, viewerId: number | null): Promise<CommentRecord[] | null>;

  /** Adds a comment by `authorId` and returns it; `null` when the slug is unknown. */
  addComment(slug: string, authorId: number, body: string): Promise<CommentRecord | null>;

  /**
   * Who owns comment `commentId` of the article with this slug: `null` when the article is unknown,
   * `{ commentAuthorId: null }` when the article exists but has no such comment.
   */
  findCommentOwner(slug: string, commentId: number): Promise<CommentOwner | null>;

  /** Deletes the comment. The caller checked that it exists and that the user owns it. */
  deleteComment(commentId: number): Promise<void>;

  // --- Tags --------------------------------------------------------------------------------------

  /** Every tag name, in any order. */
  listTags(): Promise<string[]>;

  // --- Lifecycle ---------------------------------------------------------------------------------

  /** Answers whether the database can be reached (one trivial round trip), for `GET /healthz`. */
  ping(): Promise<void>;

  /** Closes the connection pool. */
  close(): Promise<void>;
}

/** How an app builds its store: the same settings for every app, so pools are equal. */
export interface StoreConfig {
  databaseUrl: string;
  /** Maximum connections in the node-postgres pool (`PG_POOL_MAX`, default 10). */
  poolMax: number;
  /**
   * PostgreSQL's `statement_timeout` for every connection of the pool (`PG_STATEMENT_TIMEOUT_MS`,
   * default {@link POOL_DEFAULTS}): a statement running longer is cancelled and the request is a 503.
   */
  statementTimeoutMs?: number;
  /**
   * How long a request waits to get a connection, from the pool or a new one, before it fails
   * with a 503 (`PG_CONNECTION_TIMEOUT_MS`, default {@link POOL_DEFAULTS}): no request hangs
   * while the database is down.
   */
  connectionTimeoutMs?: number;
}

/**
 * The pool limits every app applies when the environment does not set them (docs/reliability.md).
 * The connection wait is long enough that a saturated but working database only queues (a deep
 * page that holds two connections per request for a second does; 2 s turned a benchmark's slow
 * cells into 503s), and a database that is down fails at once anyway: its port refuses.
 */
export const POOL_DEFAULTS = { statementTimeoutMs: 5000, connectionTimeoutMs: 10_000 } as const;

/**
 * The pool settings of a store with the shared defaults filled in: each app maps these four
 * numbers to its ORM's option names, so every pool behaves the same.
 */
export function poolSettings(config: StoreConfig): Required<StoreConfig> {
  return {
    databaseUrl: config.databaseUrl,
    poolMax: config.poolMax,
    statementTimeoutMs: config.statementTimeoutMs ?? POOL_DEFAULTS.statementTimeoutMs,
    connectionTimeoutMs: config.connectionTimeoutMs ?? POOL_DEFAULTS.connectionTimeoutMs,
  };
}

export type CreateStore = (config: StoreConfig) => ConduitStore | Promise<ConduitStore>;

// --- Records the store returns -------------------------------------------------------------------

export interface UserRecord {
  id: number;
  email: string;
  username: string;
  bio: string | null;
  image: string | null;
}

export interface UserCredentials extends UserRecord {
  passwordHash: string;
}

export interface ProfileRecord {
  username: string;
  bio: string | null;
  image: string | null;
  /** Whether the viewer follows this user; `false` for anonymous viewers. */
  following: boolean;
}

export interface ArticleSummaryRecord {
  slug: string;
  title: string;
  description: string;
  /** Tag names, in any order. */
  tagList: string[];
  createdAt: Date;
  updatedAt: Date;
  /** Whether the viewer favorited it; `false` for anonymous viewers. */
  favorited: boolean;
  favoritesCount: number;
  author: ProfileRecord;
}

export interface ArticleRecord extends ArticleSummaryRecord {
  body: string;
}

export interface ArticlePage {
  /** The page, without bodies: list responses leave `body` out. */
  articles: ArticleSummaryRecord[];
  /** How many articles match in all, whatever the page. */
  articlesCount: number;
}

export interface CommentRecord {
  id: number;
  body: string;
  createdAt: Date;
  updatedAt: Date;
  author: ProfileRecord;
}

export interface ArticleOwner {
  articleId: number;
  authorId: number;
}

export interface CommentOwner {
  articleId: number;
  /** `null` when the article has no comment with the requested id. */
  commentAuthorId: number | null;
}

// --- Inputs the store receives (already validated and normalised by the API layer) ---------------

export interface NewUserRecord {
  username: string;
  email: string;
  passwordHash: string;
}

export interface UserChanges {
  email?: string;
  username?: string;
  passwordHash?: string;
  bio?: string | null;
  image?: string | null;
}

export interface Page {
  limit: number;
  offset: number;
}

export interface ArticleFilter extends Page {
  tag?: string;
  author?: string;
  favorited?: string;
}

export interface NewArticleRecord {
  slug: string;
  title: string;
  description: string;
  /** Stored in `articles.content` (schema v2 renamed `body`); the API keeps calling it `body`. */
  body: string;
  /** For `articles.reading_minutes`: computed by the API layer from `body` (`readingMinutes()` in reading-time.ts). */
  readingMinutes: number;
  /** Distinct, non-blank tag names. */
  tagList: string[];
}

export interface ArticleChanges {
  title?: string;
  description?: string;
  body?: string;
  /** Present exactly when `body` is: the new `articles.reading_minutes`. */
  readingMinutes?: number;
  /** Distinct, non-blank tag names that replace the current ones; absent keeps them. */
  tagList?: string[];
}

/** The field whose unique constraint a write violated. */
export type ConflictField = "username" | "email" | "slug";

/**
 * The canonical names of the unique constraints and indexes (docs/schema.md), by the field whose
 * value was taken. Every app's migrations keep these names, so every store maps a violation the
 * same way: `conflictFieldOf(error.constraint)`.
 */
export const UNIQUE_CONSTRAINT_FIELDS: Readonly<Record<string, ConflictField>> = {
  users_username_key: "username",
  /** Schema v1: a plain unique constraint on `email`. */
  users_email_key: "email",
  /** Schema v2: a unique index on `lower(email)`, so emails are unique regardless of case. */
  users_email_lower_key: "email",
  articles_slug_key: "slug",
};

/** The field a violated unique constraint or index guards, by its canonical name; `undefined` otherwise. */
export function conflictFieldOf(constraint: string | undefined): ConflictField | undefined {
  return constraint === undefined ? undefined : UNIQUE_CONSTRAINT_FIELDS[constraint];
}

/**
 * Thrown by a store when a write violates a unique constraint. Each store maps its ORM's own error
 * (a pg error code 23505, Prisma's P2002, TypeORM's QueryFailedError, ...) to this one type.
 */
export class ConflictError extends Error {
  constructor(
    readonly field: ConflictField,
    options?: { cause?: unknown },
  ) {
    super(`${field} has already been taken`, options);
    this.name = "ConflictError";
  }
}
