import { relations, type SQL, sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/**
 * The canonical schema (docs/schema.md) in Drizzle's schema language: `drizzle-kit generate` diffs
 * this file against the last snapshot in `migrations/meta` and writes the SQL migration.
 * Unique constraints and indexes carry the canonical names, which the store maps to `ConflictError`
 * fields (`conflictFieldOf` from `@arena/api`).
 */

/**
 * SQL's `lower()`, as Drizzle's guide "Unique and Case-Insensitive Email Handling" declares it: a
 * custom function over a `sql` template, for the expression index on `lower(email)` and for the
 * login lookup that the index serves. Drizzle has no built-in `lower()`. A string is bound as a
 * parameter, so the lookup lowercases with PostgreSQL's rules, the same as the index.
 */
export function lower(value: AnyPgColumn | string): SQL {
  return sql`lower(${value})`;
}

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

/** Writes set it to the database clock (`NOW` in the store), as inserts get it by default. */
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

/** ON DELETE CASCADE, as every foreign key of the canonical schema. */
const cascade = { onDelete: "cascade" } as const;

// --- Tables --------------------------------------------------------------------------------------

export const users = pgTable(
  "users",
  {
    id: serial("id").primaryKey(),
    /** Stored as given; unique regardless of case (schema v2) by the index below. */
    email: text("email").notNull(),
    username: text("username").notNull().unique("users_username_key"),
    passwordHash: text("password_hash").notNull(),
    bio: text("bio"),
    image: text("image"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [uniqueIndex("users_email_lower_key").on(lower(table.email))],
);

export const follows = pgTable(
  "follows",
  {
    followerId: integer("follower_id")
      .notNull()
      .references(() => users.id, cascade),
    followeeId: integer("followee_id")
      .notNull()
      .references(() => users.id, cascade),
  },
  (table) => [
    primaryKey({ columns: [table.followerId, table.followeeId] }),
    // The primary key serves "whom does X follow"; this serves "who follows X" and user deletes.
    index("follows_followee_id_idx").on(table.followeeId),
  ],
);

export const articles = pgTable(
  "articles",
  {
    id: serial("id").primaryKey(),
    slug: text("slug").notNull().unique("articles_slug_key"),
    title: text("title").notNull(),
    description: text("description").notNull(),
    /** Schema v2 renamed `body` to `content`; the API keeps calling it `body`. */
    content: text("content").notNull(),
    /** Computed by the API layer from the content (`readingMinutes()` in `@arena/api`). */
    readingMinutes: integer("reading_minutes").notNull(),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id, cascade),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    // Newest-first pages of all articles, and of one author's articles (also the feed).
    index("articles_created_at_idx").on(table.createdAt),
    index("articles_author_id_created_at_idx").on(table.authorId, table.createdAt),
  ],
);

export const tags = pgTable("tags", {
  id: serial("id").primaryKey(),
  name: text("name").notNull().unique("tags_name_key"),
});

export const articleTags = pgTable(
  "article_tags",
  {
    articleId: integer("article_id")
      .notNull()
      .references(() => articles.id, cascade),
    tagId: integer("tag_id")
      .notNull()
      .references(() => tags.id, cascade),
  },
  (table) => [
    primaryKey({ columns: [table.articleId, table.tagId] }),
    // The tag filter goes from a tag to its articles.
    index("article_tags_tag_id_idx").on(table.tagId),
  ],
);

export const favorites = pgTable(
  "favorites",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, cascade),
    articleId: integer("article_id")
      .notNull()
      .references(() => articles.id, cascade),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.articleId] }),
    // favoritesCount counts by article.
    index("favorites_article_id_idx").on(table.articleId),
  ],
);

export const comments = pgTable(
  "comments",
  {
    id: serial("id").primaryKey(),
    body: text("body").notNull(),
    articleId: integer("article_id")
      .notNull()
      .references(() => articles.id, cascade),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id, cascade),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [index("comments_article_id_idx").on(table.articleId), index("comments_author_id_idx").on(table.authorId)],
);

// --- Relations (relational queries v1: what `db.query.*.findMany({ with })` can load) ----------

export const usersRelations = relations(users, ({ many }) => ({
  articles: many(articles),
  comments: many(comments),
  favorites: many(favorites),
  /** Follows rows where this user is followed: filtered by the viewer, they give `following`. */
  followers: many(follows, { relationName: "followee" }),
  following: many(follows, { relationName: "follower" }),
}));

export const followsRelations = relations(follows, ({ one }) => ({
  follower: one(users, { fields: [follows.followerId], references: [users.id], relationName: "follower" }),
  followee: one(users, { fields: [follows.followeeId], references: [users.id], relationName: "followee" }),
}));

export const articlesRelations = relations(articles, ({ one, many }) => ({
  author: one(users, { fields: [articles.authorId], references: [users.id] }),
  tags: many(articleTags),
  favorites: many(favorites),
  comments: many(comments),
}));

export const tagsRelations = relations(tags, ({ many }) => ({
  articles: many(articleTags),
}));

export const articleTagsRelations = relations(articleTags, ({ one }) => ({
  article: one(articles, { fields: [articleTags.articleId], references: [articles.id] }),
  tag: one(tags, { fields: [articleTags.tagId], references: [tags.id] }),
}));

export const favoritesRelations = relations(favorites, ({ one }) => ({
  user: one(users, { fields: [favorites.userId], references: [users.id] }),
  article: one(articles, { fields: [favorites.articleId], references: [articles.id] }),
}));

export const commentsRelations = relations(comments, ({ one }) => ({
  article: one(articles, { fields: [comments.articleId], references: [articles.id] }),
  author: one(users, { fields: [comments.authorId], references: [users.id] }),
}));
