import { pathToFileURL } from "node:url";
import type { AppModule, SchemaVersion } from "./app-module.js";

const VERSIONS: readonly SchemaVersion[] = ["v1", "v2"];

/** What the migrate command was asked to do: its command line (docs/architecture.md, "The migrate command"). */
export interface MigrateRequest {
  /** Down migrations to `to` instead of up. */
  rollback: boolean;
  /** The schema version to stop at (up) or to go back to (down); up without it means all. */
  to: SchemaVersion | undefined;
}

/**
 * Reads `[--to v1|v2] [--rollback --to v1|v2]`, the command-line contract every app's migrate
 * command follows in any language, so the testkit drives schema targets through the manifest.
 */
export function parseMigrateArguments(args: readonly string[]): MigrateRequest {
  let rollback = false;
  let to: SchemaVersion | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--rollback") rollback = true;
    else if (arg === "--to" || arg?.startsWith("--to=")) {
      const value = arg === "--to" ? args[++i] : arg.slice("--to=".length);
      if (!VERSIONS.includes(value as SchemaVersion)) {
        throw new Error(`--to takes one of ${VERSIONS.join(", ")}, got ${JSON.stringify(value)}`);
      }
      to = value as SchemaVersion;
    } else throw new Error(`unknown argument ${JSON.stringify(arg)}: [--to v1|v2] [--rollback --to v1|v2]`);
  }
  if (rollback && !to) throw new Error("--rollback needs --to: the schema version to go back to");
  return { rollback, to };
}

/** Exit code of a migrate command asked to roll back by a tool that has no down migrations. */
export const NO_DOWN_MIGRATIONS_EXIT_CODE = 3;

/**
 * The tail of every app's `src/migrate.ts`: when that module is the script Node was started with
 * (`node dist/migrate.js`, the manifest's migrate command), migrate DATABASE_URL with the app's
 * `migrate` (all migrations, or `--to v1`), or revert with its `rollback` (`--rollback --to v1`).
 * Imported as a module (by tests and scripts), it does nothing.
 */
export async function migrateWhenRunAsCommand(
  moduleUrl: string,
  tool: Pick<AppModule, "migrate" | "rollback">,
): Promise<void> {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? "").href) return;
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is required: the database to migrate");
    process.exit(1);
  }
  let request: MigrateRequest;
  try {
    request = parseMigrateArguments(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  if (request.rollback) {
    if (!tool.rollback || !request.to) {
      console.error("this app's migration tool has no down migrations");
      process.exit(NO_DOWN_MIGRATIONS_EXIT_CODE);
    }
    await tool.rollback(url, { to: request.to });
    console.log(`rolled back to ${request.to}`);
    return;
  }
  await tool.migrate(url, request.to ? { to: request.to } : {});
  console.log(`migrated${request.to ? ` to ${request.to}` : ""}`);
}
