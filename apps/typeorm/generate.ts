/**
 * Generates a migration with TypeORM's CLI (`migration:generate`): migrates a fresh database with
 * the committed migrations, lets TypeORM diff the entities against it, and drops the database. The
 * new migration therefore holds exactly what the entities changed since the last one.
 *
 *   npm run generate -- <Name>      # writes src/migrations/<timestamp>-<Name>.ts
 *
 * Then list the new class in `src/migrations/index.ts`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { createFreshDatabase, stopEmbeddedServer } from "@arena/database";
import { migrate } from "./src/migrate.js";

const name = process.argv[2];
if (!name) {
  console.error("usage: npm run generate -- <MigrationName>");
  process.exit(1);
}
const TYPEORM_CLI = createRequire(import.meta.url).resolve("typeorm/cli.js");

const database = await createFreshDatabase({ prefix: "typeorm_generate" });
let status: number;
try {
  await migrate(database.url);
  // tsx lets the CLI load the TypeScript DataSource (and, through it, the entities).
  const cli = spawnSync(
    "tsx",
    [TYPEORM_CLI, "migration:generate", "--dataSource", "src/data-source.ts", `src/migrations/${name}`],
    { stdio: "inherit", env: { ...process.env, DATABASE_URL: database.url } },
  );
  // On failure the CLI has said why (e.g. "No changes in database schema were found").
  status = cli.status ?? 1;
  if (status === 0) {
    // The repository's formatter and its safe fixes (the CLI's template imports types without
    // `import type`, which verbatimModuleSyntax requires), so the file is committed as written here.
    execFileSync("biome", ["check", "--write", "src/migrations"], { stdio: "inherit" });
  }
} finally {
  await database.drop();
  await stopEmbeddedServer();
}
// Explicitly: the embedded server's exit hook would otherwise end the process with 0.
process.exit(status);
