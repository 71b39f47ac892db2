import type { Kysely } from "kysely";

// The canonical schema of apps/pg/migrations, in Kysely's schema builder. Migrations take
// `Kysely<any>` on purpose (Kysely's advice): they are frozen in time, the generated `DB` type is not.
// Constraint names follow PostgreSQL's defaults; the store maps the unique ones to conflict fields.

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's schema type.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("users")
    .addColumn("id", "serial", (col) => col.primaryKey())
    .addColumn("email", "text", (col) => col.notNull())
    .addColumn("username", "text", (col) => col.notNull())
    .addColumn("password_hash", "text", (col) => col.notNull())
    .addColumn("bio", "text")
    .addColumn("image", "text")
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(db.fn("now")))
    .addColumn("updated_at", "timestamptz", (col) => col.notNull().defaultTo(db.fn("now")))
    .addUniqueConstraint("users_email_key", ["email"])
    .addUniqueConstraint("users_username_key", ["username"])
    .execute();

  await db.schema
    .createTable("follows")
    .addColumn("follower_id", "integer", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("followee_id", "integer", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("follows_pkey", ["follower_id", "followee_id"])
    .execute();
  // The primary key serves "whom does X follow"; this serves "who follows X" and user deletes.
  await db.schema.createIndex("follows_followee_id_idx").on("follows").column("followee_id").execute();

  await db.schema
    .createTable("articles")
    .addColumn("id", "serial", (col) => col.primaryKey())
    .addColumn("slug", "text", (col) => col.notNull())
    .addColumn("title", "text", (col) => col.notNull())
    .addColumn("description", "text", (col) => col.notNull())
    .addColumn("body", "text", (col) => col.notNull())
    .addColumn("author_id", "integer", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(db.fn("now")))
    .addColumn("updated_at", "timestamptz", (col) => col.notNull().defaultTo(db.fn("now")))
    .addUniqueConstraint("articles_slug_key", ["slug"])
    .execute();
  // Newest-first pages of all articles, and of one author's articles (also the feed).
  await db.schema.createIndex("articles_created_at_idx").on("articles").column("created_at").execute();
  await db.schema
    .createIndex("articles_author_id_created_at_idx")
    .on("articles")
    .columns(["author_id", "created_at"])
    .execute();

  await db.schema
    .createTable("tags")
    .addColumn("id", "serial", (col) => col.primaryKey())
    .addColumn("name", "text", (col) => col.notNull())
    .addUniqueConstraint("tags_name_key", ["name"])
    .execute();

  await db.schema
    .createTable("article_tags")
    .addColumn("article_id", "integer", (col) => col.notNull().references("articles.id").onDelete("cascade"))
    .addColumn("tag_id", "integer", (col) => col.notNull().references("tags.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("article_tags_pkey", ["article_id", "tag_id"])
    .execute();
  // The tag filter goes from a tag to its articles.
  await db.schema.createIndex("article_tags_tag_id_idx").on("article_tags").column("tag_id").execute();

  await db.schema
    .createTable("favorites")
    .addColumn("user_id", "integer", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("article_id", "integer", (col) => col.notNull().references("articles.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("favorites_pkey", ["user_id", "article_id"])
    .execute();
  // favoritesCount counts by article.
  await db.schema.createIndex("favorites_article_id_idx").on("favorites").column("article_id").execute();

  await db.schema
    .createTable("comments")
    .addColumn("id", "serial", (col) => col.primaryKey())
    .addColumn("body", "text", (col) => col.notNull())
    .addColumn("article_id", "integer", (col) => col.notNull().references("articles.id").onDelete("cascade"))
    .addColumn("author_id", "integer", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(db.fn("now")))
    .addColumn("updated_at", "timestamptz", (col) => col.notNull().defaultTo(db.fn("now")))
    .execute();
  await db.schema.createIndex("comments_article_id_idx").on("comments").column("article_id").execute();
  await db.schema.createIndex("comments_author_id_idx").on("comments").column("author_id").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see `up`.
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["comments", "favorites", "article_tags", "tags", "articles", "follows", "users"]) {
    await db.schema.dropTable(table).execute();
  }
}
