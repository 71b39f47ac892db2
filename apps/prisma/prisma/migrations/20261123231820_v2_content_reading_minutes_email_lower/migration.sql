-- Custom migration: the draft `prisma migrate dev --create-only --name v2_content_reading_minutes_email_lower`
-- creates for this schema change, fixed by hand before it is applied (Prisma's customizing-migrations
-- workflow). The draft dropped `body` and added `content` NOT NULL (Prisma Migrate does not detect
-- renames: every article's text lost, and the step fails on a table with rows), added
-- `reading_minutes` NOT NULL without a default (fails on a table with rows) and only dropped
-- `users_email_key`, because the schema cannot declare the unique index on lower(email).
--
-- Prisma's schema engine skips expression indexes when it reads a database, so `migrate dev` and
-- `migrate diff` neither report nor drop `users_email_lower_key`; `db push`, which builds from the
-- schema alone, does not create it.

-- AlterTable: a rename keeps every row's text.
ALTER TABLE "articles" RENAME COLUMN "body" TO "content";

-- AlterTable: filled for existing rows with the rule the API applies to new ones (READING_MINUTES_SQL
-- in packages/api: words at 200 a minute, rounded up, at least 1), then made required.
ALTER TABLE "articles" ADD COLUMN "reading_minutes" INTEGER;
UPDATE "articles"
   SET "reading_minutes" = greatest(1, ceil((SELECT count(*) FROM regexp_matches("content", '\S+', 'g')) / 200.0))::integer;
ALTER TABLE "articles" ALTER COLUMN "reading_minutes" SET NOT NULL;

-- CreateIndex: emails unique regardless of case. Built before the old index goes, so there is no
-- moment without a unique rule on email; it fails if two users' emails differ only in case.
CREATE UNIQUE INDEX "users_email_lower_key" ON "users"(lower("email"));

-- DropIndex
DROP INDEX "users_email_key";
