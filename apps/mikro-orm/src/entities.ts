import { defineEntity, type InferEntity, quote } from "@mikro-orm/core";

/**
 * The canonical schema as MikroORM entities. `defineEntity` infers each entity's type from its
 * properties, so nothing here depends on decorator metadata (which tsx/esbuild does not emit) and
 * every column type is stated once. The migrator derives `src/migrations/` from these definitions.
 */
const p = defineEntity.properties;

/**
 * `DEFAULT now()` columns: the database fills them in and the INSERT's RETURNING reads them back.
 * The unit of work sets `updatedAt` itself whenever it flushes a change to the row.
 */
const timestamps = {
  createdAt: p.datetime().defaultRaw("now()"),
  updatedAt: p
    .datetime()
    .defaultRaw("now()")
    .onUpdate(() => new Date()),
};

export const User = defineEntity({
  name: "User",
  tableName: "users",
  // Emails are unique regardless of case (schema v2), stored as given: a unique index on an
  // expression, which MikroORM declares as the index's whole statement (no properties).
  uniques: [
    {
      name: "users_email_lower_key",
      expression: (columns, table, name) => quote`create unique index ${name} on ${table} (lower(${columns.email}))`,
    },
  ],
  properties: {
    id: p.integer().primary(),
    email: p.text(),
    username: p.text().unique("users_username_key"),
    // Lazy: only login reads it (populated by name), no other query selects it.
    passwordHash: p.text().lazy(),
    bio: p.text().nullable(),
    image: p.text().nullable(),
    ...timestamps,
    /** Who follows this user: the viewer's row, if any, answers `following`. */
    followers: () => p.oneToMany(Follow).mappedBy("followee"),
  },
});
export interface User extends InferEntity<typeof User> {}

export const Follow = defineEntity({
  name: "Follow",
  tableName: "follows",
  properties: {
    follower: () => p.manyToOne(User).primary().deleteRule("cascade").updateRule("no action"),
    // The primary key serves "whom does X follow"; this index serves "who follows X".
    followee: () => p.manyToOne(User).primary().deleteRule("cascade").updateRule("no action").index(),
  },
});
export interface Follow extends InferEntity<typeof Follow> {}

export const Article = defineEntity({
  name: "Article",
  tableName: "articles",
  // Newest-first pages of all articles, and of one author's articles (also the feed).
  indexes: [{ properties: ["createdAt"] }, { properties: ["author", "createdAt"] }],
  properties: {
    id: p.integer().primary(),
    slug: p.text().unique("articles_slug_key"),
    title: p.text(),
    description: p.text(),
    // Schema v2 renamed `body` to `content`; the API keeps calling it `body`.
    content: p.text(),
    // Computed by the API layer from the content (readingMinutes() in @arena/api), stored here.
    readingMinutes: p.integer(),
    author: () => p.manyToOne(User).deleteRule("cascade").updateRule("no action"),
    ...timestamps,
    tags: () => p.manyToMany(Tag).pivotEntity(() => ArticleTag),
    /** Who favorited this article: the viewer's row, if any, answers `favorited`. */
    favorites: () => p.oneToMany(Favorite).mappedBy("article"),
    // RAW SQL ESCAPE HATCH: a formula is MikroORM's way to map a computed column, and it is written
    // in SQL (`cols.id` is this article's id column under the query's alias); `lazy` keeps it out
    // of every query that does not populate it.
    favoritesCount: p
      .integer()
      .formula((cols) => `(select count(*)::int from favorites f where f.article_id = ${cols.id})`)
      .lazy(),
    comments: () => p.oneToMany(Comment).mappedBy("article"),
  },
});
export interface Article extends InferEntity<typeof Article> {}

export const Tag = defineEntity({
  name: "Tag",
  tableName: "tags",
  properties: {
    id: p.integer().primary(),
    name: p.text().unique("tags_name_key"),
  },
});
export interface Tag extends InferEntity<typeof Tag> {}

export const ArticleTag = defineEntity({
  name: "ArticleTag",
  tableName: "article_tags",
  properties: {
    article: () => p.manyToOne(Article).primary().deleteRule("cascade").updateRule("no action"),
    // The tag filter goes from a tag to its articles.
    tag: () => p.manyToOne(Tag).primary().deleteRule("cascade").updateRule("no action").index(),
  },
});
export interface ArticleTag extends InferEntity<typeof ArticleTag> {}

export const Favorite = defineEntity({
  name: "Favorite",
  tableName: "favorites",
  properties: {
    user: () => p.manyToOne(User).primary().deleteRule("cascade").updateRule("no action"),
    // favoritesCount counts by article.
    article: () => p.manyToOne(Article).primary().deleteRule("cascade").updateRule("no action").index(),
  },
});
export interface Favorite extends InferEntity<typeof Favorite> {}

export const Comment = defineEntity({
  name: "Comment",
  tableName: "comments",
  properties: {
    id: p.integer().primary(),
    body: p.text(),
    article: () => p.manyToOne(Article).deleteRule("cascade").updateRule("no action").index(),
    author: () => p.manyToOne(User).deleteRule("cascade").updateRule("no action").index(),
    ...timestamps,
  },
});
export interface Comment extends InferEntity<typeof Comment> {}

export const entities = [User, Follow, Article, Tag, ArticleTag, Favorite, Comment];
