import { READING_MINUTES_SQL } from "@arena/api";
import { type Kysely, sql } from "kysely";

// Schema v2 (issue #9), written by hand: Kysely has no schema to diff, the migration is the source
// of truth and `npm run codegen` regenerates the `DB` type from it. Same steps as apps/pg's v2.

// biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's schema type.
export async function up(db: Kysely<any>): Promise<void> {
  // 1. A rename keeps every row's text; a drop and add would lose it.
  await db.schema.alterTable("articles").renameColumn("body", "content").execute();

  // 2. Reading time, filled for existing rows with the rule the API applies to new ones (the SQL
  //    of `READING_MINUTES_SQL` in @arena/api), then made NOT NULL: the column has no default.
  await db.schema.alterTable("articles").addColumn("reading_minutes", "integer").execute();
  await db
    .updateTable("articles")
    .set({ reading_minutes: sql.raw(READING_MINUTES_SQL) })
    .execute();
  await db.schema
    .alterTable("articles")
    .alterColumn("reading_minutes", (col) => col.setNotNull())
    .execute();

  // 3. Emails unique regardless of case. The index is built before the constraint goes, so there is
  //    no moment without a unique rule on email; it fails if two emails differ only in case.
  //    `expression` takes any SQL expression; Kysely puts it in the index's parentheses.
  await db.schema.createIndex("users_email_lower_key").on("users").unique().expression(sql`lower(email)`).execute();
  await db.schema.alterTable("users").dropConstraint("users_email_key").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see `up`.
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").addUniqueConstraint("users_email_key", ["email"]).execute();
  await db.schema.dropIndex("users_email_lower_key").execute();
  await db.schema.alterTable("articles").dropColumn("reading_minutes").execute();
  await db.schema.alterTable("articles").renameColumn("content", "body").execute();
}
