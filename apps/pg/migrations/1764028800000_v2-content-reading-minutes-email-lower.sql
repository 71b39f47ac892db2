-- Up Migration

-- Schema v2 (docs/migrations.md): the same change every app makes with its own tool.

-- 1. A rename keeps every row's text; a drop and add would lose it.
ALTER TABLE articles RENAME COLUMN body TO content;

-- 2. Reading time, filled for existing rows with the rule the API applies to new ones
--    (readingMinutes() in packages/api): words at 200 a minute, rounded up, at least 1.
ALTER TABLE articles ADD COLUMN reading_minutes integer;
UPDATE articles
   SET reading_minutes = greatest(1, ceil((SELECT count(*) FROM regexp_matches(content, '\S+', 'g')) / 200.0))::integer;
ALTER TABLE articles ALTER COLUMN reading_minutes SET NOT NULL;

-- 3. Emails unique regardless of case. The index is built before the constraint goes, so there is
--    no moment without a unique rule on email; it fails if two users' emails differ only in case.
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
ALTER TABLE users DROP CONSTRAINT users_email_key;

-- Down Migration

ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
DROP INDEX users_email_lower_key;
ALTER TABLE articles DROP COLUMN reading_minutes;
ALTER TABLE articles RENAME COLUMN content TO body;
