/**
 * Regenerates `src/schema.generated.ts`, the `DB` type of the queries, from the schema the migrations
 * produce: migrates a fresh database, lets kysely-codegen introspect it, and drops the database.
 *
 *   npm run generate      # after changing or adding a migration
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createFreshDatabase, stopEmbeddedServer } from "@arena/database";
import { migrate } from "./src/migrate.js";

const OUT_FILE = fileURLToPath(new URL("./src/schema.generated.ts", import.meta.url));

const database = await createFreshDatabase({ prefix: "kysely_codegen" });
try {
  await migrate(database.url);
  // kysely-codegen leaves Kysely's own kysely_migration* tables out by itself.
  execFileSync("kysely-codegen", ["--dialect", "postgres", "--url", database.url, "--out-file", OUT_FILE], {
    stdio: "inherit",
  });
} finally {
  await database.drop();
  await stopEmbeddedServer();
}
