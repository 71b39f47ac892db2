import { defineConfig } from "prisma/config";

// What the Prisma CLI reads (generate, migrate, studio). The URLs are optional so that `generate`,
// which never connects, works without a database: migrate and studio need DATABASE_URL, and
// `migrate diff --from-migrations` (the drift check) needs a scratch SHADOW_DATABASE_URL.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL, shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL },
});
