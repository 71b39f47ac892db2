-- Generated from the apps' manifests by `npm run compose`; do not edit by hand.
-- One database per app, each migrated by the app's own tool when its container starts.
-- Run once by the postgres image on an empty data directory; docker/compose.yaml names them.
CREATE DATABASE arena_asyncpg;
CREATE DATABASE arena_pg;
CREATE DATABASE arena_drizzle;
CREATE DATABASE arena_kysely;
CREATE DATABASE arena_mikro_orm;
CREATE DATABASE arena_piccolo;
CREATE DATABASE arena_prisma;
CREATE DATABASE arena_sequelize;
CREATE DATABASE arena_sqlalchemy;
CREATE DATABASE arena_tortoise;
CREATE DATABASE arena_typeorm;
