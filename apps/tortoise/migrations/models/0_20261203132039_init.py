from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

# HAND FIX (second commit): Aerich emitted the three join tables (follows, article_tags, favorites)
# without a primary key, with an anonymous unique index on both columns instead, favorites' columns
# in (article_id, user_id) order, and no index for the second side. Tortoise's ManyToManyField has
# no composite primary key, so the canonical keys and the second-side indexes are written here.


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "tags" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS "users" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL UNIQUE,
    "username" TEXT NOT NULL UNIQUE,
    "password_hash" TEXT NOT NULL,
    "bio" TEXT,
    "image" TEXT,
    "created_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "updated_at" TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS "articles" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL UNIQUE,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "updated_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "author_id" INT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "articles_created_at_idx" ON "articles" ("created_at");
CREATE INDEX IF NOT EXISTS "articles_author_id_created_at_idx" ON "articles" ("author_id", "created_at");
CREATE TABLE IF NOT EXISTS "comments" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "updated_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "article_id" INT NOT NULL REFERENCES "articles" ("id") ON DELETE CASCADE,
    "author_id" INT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "comments_article_id_idx" ON "comments" ("article_id");
CREATE INDEX IF NOT EXISTS "comments_author_id_idx" ON "comments" ("author_id");
CREATE TABLE IF NOT EXISTS "aerich" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSONB NOT NULL
);
CREATE TABLE IF NOT EXISTS "follows" (
    "follower_id" INT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    "followee_id" INT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    PRIMARY KEY ("follower_id", "followee_id")
);
CREATE INDEX IF NOT EXISTS "follows_followee_id_idx" ON "follows" ("followee_id");
CREATE TABLE IF NOT EXISTS "article_tags" (
    "article_id" INT NOT NULL REFERENCES "articles" ("id") ON DELETE CASCADE,
    "tag_id" INT NOT NULL REFERENCES "tags" ("id") ON DELETE CASCADE,
    PRIMARY KEY ("article_id", "tag_id")
);
CREATE INDEX IF NOT EXISTS "article_tags_tag_id_idx" ON "article_tags" ("tag_id");
CREATE TABLE IF NOT EXISTS "favorites" (
    "user_id" INT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    "article_id" INT NOT NULL REFERENCES "articles" ("id") ON DELETE CASCADE,
    PRIMARY KEY ("user_id", "article_id")
);
CREATE INDEX IF NOT EXISTS "favorites_article_id_idx" ON "favorites" ("article_id");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztW1tv4jgU/isoL9NK3dEM27lo3yilO92ZwqpkLprVyjKJCVGTmCbOUNTlv6/txEmcOC"
    "3hpgJ+aeFcYvs79rHPF/No+NhGXvS6ExLX8pDxR+vRCKDPPpRVZy0DTqe5ggkIHHEnAyZG"
    "XAhHEQmhRah8DL0IUZGNIit0p8TFAZUGsecxIbaooRs4uSgO3PsYAYIdRCYopIp//qViN7"
    "DRA304/fpojF3k2fyzYYUIEmQDSAxmhh6mIYoi2kgkPMVYRP9A7gJc+4GPYT7lJgZ/Au05"
    "/7I4a0lNwZhMcEh9mNkK7Wb+y/eAPWd6B3gnpMAkneByIHyvA3LFDRmwI2BhL/aD3Hg6p8"
    "0HmbUbECZ1UIBC1hkqI2HMIsUCkQZVBC8JSm6SRKPgY6MxjD1SiOwI5DIDgP7ABMOeCYDR"
    "YC5YFE6KBe1qxEfvsC781n57/uH84+/vzz9SE97NTPJhkTSdA5M4cnj6prHgekggyOOagx"
    "p5sVOF9Ssfu0mjokZXeJXwpR0v4yvQfLEAP4Ge2fuRwJfDRVyS5AQZr3qkMofNQCUEOVZ5"
    "rnkBYFG1H0X3HhP0v3Vuu586tyc3nR+nXDNPNV8G/T+FOaYpM8ml/e6XwUUJ7mI3G4Bect"
    "PQrwD9CNvzJpgLew32CmAXdtYK5JdUQ1wfqWGXPUvg26nra/Fhp6EY3nuXybeTVwGenZy+"
    "Ot1SSK5vekOzc/O3FJfLjtljmrYUEyE9eX8qhyV7SOv7tfmpxb62fg76PQ4rjogT8hZzO/"
    "MnOy2xExIGdHgA2kVshFiIpHDHU3vFcMueOtx7EW7pEL3k+VXyef4Yuwc5dRMnWVYbjO+U"
    "B9kEsCrCVzhErhN8RnMO9DXtEwws1ZEsLfy+RmiPt6xcamTn6BDOsnJKnlh09HTMiPDxdz"
    "vDbueyl1RgI2jdzWBogxq4Lez7iDVdAfwi9bz6fIs8WHMGS7HuJk85ILg5eLiNC6BJcFZV"
    "fttXIkygo0D3BgZzE7O/S05nEzr7WpOp5jIfFShxNekYQzbf6OZYZiE4ijjk+N+heQpuug"
    "SyyKSa1CnVkkmIY2dSVIi4KNcOlYMK1NJmMIa/cOiybo4U5+vG4V01W+1VfMUgywEWWKoi"
    "HFOfpiGWntcgvnwZwwA6XMbGvDir5DgFx1hIf/UcYzHT7o5jLGD0DNcn+gdyl1U5xqVbyl"
    "hFTSW+HCpRMwaaMdAlpGYMdLjXZwykE8qylIHkpDmDbMvSTMxumZj8zfmaVEzhHfyeQbw0"
    "GyOtWTUdU53AmuXaKsu1JoXzZDXIqApFJZgyGPVVoGAdtloB6nppl/US/1+B9bmrF8LrKK"
    "5eVHaZrS3ayva1Ce51jf3rJQRmaX6uMM4yRZex2DI7J+97ZYIuZ2fX5V8zSr42IfONUJGR"
    "xQZZn5IZw6hz8mHlZORD12uelDO3o8jKEjFBF8FqG1nR8+hgm8IommGa8SYwmjQhTSuOmj"
    "1d5XKbixsx1Yn5SlCnc/BYkXZ9uu02wTpz0GjrtwKaJtZvBY473A0q4GVK2CaXsw6PfZVz"
    "pb7BtuUbbGPseXjG+lCBWN9zanTPiQOZsg0lJiXV1VEpwlVx2YlrNnGVTVNlG6HKKjcDm1"
    "Bmhetua11oq6RJee7pRbzmIhbZULmI6y4sltb4Gov4eT60g0LXmhiqX0QnmrMnfxCd22hS"
    "dFczdNuk6C+6+pW/wOxOYKiGtuByEAQVXS8PwEOBQ9jSaL979wSgoo6nVqViQZT47URXup"
    "tCF1UDhFPzA0T37Zs3S6BLrWrR5boSM4IDkp7TZYT/Gg76NZRI7lIukF2LtP5reW60xwd/"
    "FbgMjKdJqTL/dCaXuewBFzt9cavYzBb/A7vx5mA="
)
