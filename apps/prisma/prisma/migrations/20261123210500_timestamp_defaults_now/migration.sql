-- Custom migration: written by hand into the empty migration that
-- `prisma migrate dev --create-only --name timestamp_defaults_now` creates.
--
-- Prisma renders `@default(now())` as DEFAULT CURRENT_TIMESTAMP; the canonical schema (apps/pg)
-- says DEFAULT now(). PostgreSQL runs the same function for both, and Prisma's schema engine reads
-- both back as `now()`, so this migration causes no drift: it only makes the default's text equal.

-- AlterTable
ALTER TABLE "users" ALTER COLUMN "created_at" SET DEFAULT now(),
ALTER COLUMN "updated_at" SET DEFAULT now();

-- AlterTable
ALTER TABLE "articles" ALTER COLUMN "created_at" SET DEFAULT now(),
ALTER COLUMN "updated_at" SET DEFAULT now();

-- AlterTable
ALTER TABLE "comments" ALTER COLUMN "created_at" SET DEFAULT now(),
ALTER COLUMN "updated_at" SET DEFAULT now();
