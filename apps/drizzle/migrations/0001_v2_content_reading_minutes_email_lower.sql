ALTER TABLE "articles" RENAME COLUMN "body" TO "content";--> statement-breakpoint
-- Edited by hand: drizzle-kit wrote ADD COLUMN "reading_minutes" integer NOT NULL, which fails on a
-- table with rows (no default). The column is added nullable, filled from the content with the rule
-- the API applies to new articles (READING_MINUTES_SQL in @arena/api), then made NOT NULL.
ALTER TABLE "articles" ADD COLUMN "reading_minutes" integer;--> statement-breakpoint
UPDATE "articles" SET "reading_minutes" = greatest(1, ceil((SELECT count(*) FROM regexp_matches(content, '\S+', 'g')) / 200.0))::integer;--> statement-breakpoint
ALTER TABLE "articles" ALTER COLUMN "reading_minutes" SET NOT NULL;--> statement-breakpoint
-- Edited by hand: drizzle-kit dropped users_email_key first and built the index last; the index is
-- now built before the constraint goes, so email is never without a unique rule.
CREATE UNIQUE INDEX "users_email_lower_key" ON "users" USING btree (lower("email"));--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_email_key";
