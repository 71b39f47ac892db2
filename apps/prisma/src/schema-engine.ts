import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * Prisma's schema engine (the binary behind `migrate`, `db push` and `migrate diff`) is downloaded
 * from Prisma's CDN by the install scripts of `prisma` and `@prisma/engines`, which this repository
 * does not run (root package.json `allowScripts`), or on the first CLI call that needs it. This
 * module answers whether a real one is present, looking where the Prisma CLI looks.
 */

/** The Prisma CLI's entry point, or `null` when the `prisma` package is not installed (production). */
export function prismaCliPath(): string | null {
  const packageJson = resolveFrom(import.meta.url, "prisma/package.json");
  return packageJson && join(dirname(packageJson), "build", "index.js");
}

/**
 * The path of a working schema engine, or `null`. `PRISMA_SCHEMA_ENGINE_BINARY` wins when set (as
 * in the CLI), but only counts if it really is an engine: a placeholder file does not.
 */
export function findSchemaEngine(env: NodeJS.ProcessEnv = process.env): string | null {
  const fromEnv = env.PRISMA_SCHEMA_ENGINE_BINARY;
  if (fromEnv) return isSchemaEngine(fromEnv) ? fromEnv : null;
  for (const directory of engineDirectories()) {
    for (const file of listFiles(directory)) {
      const path = join(directory, file);
      if (file.startsWith("schema-engine-") && isSchemaEngine(path)) return path;
    }
  }
  return null;
}

/** A schema engine answers `--version` with `schema-engine-cli <commit>`. */
export function isSchemaEngine(path: string): boolean {
  try {
    return execFileSync(path, ["--version"], { encoding: "utf8", timeout: 10_000, stdio: "pipe" }).startsWith(
      "schema-engine-cli",
    );
  } catch {
    return false;
  }
}

/** Where the CLI looks for `schema-engine-<platform>`: `@prisma/engines`, then the CLI's own folders. */
function engineDirectories(): string[] {
  const cli = resolveFrom(import.meta.url, "prisma/package.json");
  if (!cli) return [];
  const cliDir = dirname(cli);
  const engines = resolveFrom(cli, "@prisma/engines/package.json");
  return [...(engines ? [dirname(engines)] : []), cliDir, dirname(cliDir)];
}

function resolveFrom(from: string, specifier: string): string | null {
  try {
    return createRequire(from).resolve(specifier);
  } catch {
    return null;
  }
}

function listFiles(directory: string): string[] {
  try {
    return readdirSync(directory);
  } catch {
    return [];
  }
}
