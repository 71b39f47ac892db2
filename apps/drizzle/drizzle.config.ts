import { defineConfig } from "drizzle-kit";

/**
 * drizzle-kit's settings: `npm run generate` diffs `src/schema.ts` against the last snapshot in
 * `migrations/meta` and writes the next SQL migration (no database needed); `npx drizzle-kit studio`
 * connects to DATABASE_URL.
 */
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema.ts",
  out: "./migrations",
  dbCredentials: { url: process.env.DATABASE_URL ?? "" },
});
