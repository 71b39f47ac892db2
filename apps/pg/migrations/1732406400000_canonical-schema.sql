-- Up Migration

-- The canonical schema: every app's migrations must produce exactly these tables, columns,
-- types, defaults, keys, foreign keys and indexes (constraint and index names may differ).
-- docs/schema.md explains each choice.

CREATE TABLE users (
  id            serial PRIMARY KEY,
  email         text NOT NULL,
  username      text NOT NULL,
  password_hash text NOT NULL,
  bio           text,
  image         text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_email_key UNIQUE (email),
  CONSTRAINT users_username_key UNIQUE (username)
);

CREATE TABLE follows (
  follower_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  followee_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  PRIMARY KEY (follower_id, followee_id)
);
-- The primary key serves "whom does X follow"; this serves "who follows X" and user deletes.
CREATE INDEX follows_followee_id_idx ON follows (followee_id);

CREATE TABLE articles (
  id          serial PRIMARY KEY,
  slug        text NOT NULL,
  title       text NOT NULL,
  description text NOT NULL,
  body        text NOT NULL,
  author_id   integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT articles_slug_key UNIQUE (slug)
);
-- Newest-first pages of all articles, and of one author's articles (also the feed).
CREATE INDEX articles_created_at_idx ON articles (created_at);
CREATE INDEX articles_author_id_created_at_idx ON articles (author_id, created_at);

CREATE TABLE tags (
  id   serial PRIMARY KEY,
  name text NOT NULL,
  CONSTRAINT tags_name_key UNIQUE (name)
);

CREATE TABLE article_tags (
  article_id integer NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  tag_id     integer NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  PRIMARY KEY (article_id, tag_id)
);
-- The tag filter goes from a tag to its articles.
CREATE INDEX article_tags_tag_id_idx ON article_tags (tag_id);

CREATE TABLE favorites (
  user_id    integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  article_id integer NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, article_id)
);
-- favoritesCount counts by article.
CREATE INDEX favorites_article_id_idx ON favorites (article_id);

CREATE TABLE comments (
  id         serial PRIMARY KEY,
  body       text NOT NULL,
  article_id integer NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  author_id  integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX comments_article_id_idx ON comments (article_id);
CREATE INDEX comments_author_id_idx ON comments (author_id);

-- Down Migration

DROP TABLE comments;
DROP TABLE favorites;
DROP TABLE article_tags;
DROP TABLE tags;
DROP TABLE articles;
DROP TABLE follows;
DROP TABLE users;
