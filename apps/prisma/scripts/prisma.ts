/**
 * The Prisma CLI for this app, safe without Prisma's schema engine:
 *
 *   npm run prisma -- <command> [args]     # e.g. generate, migrate dev, migrate diff, studio
 *
 * The engine is a binary from Prisma's CDN that this repository's install does not download (see
 * src/schema-engine.ts). `generate`, `validate`, `format` and `studio` never run it (the first
 * three only check that its path exists), so without an engine they get a placeholder path. Every
 * other command runs the engine; a placeholder there would let `migrate dev`, `migrate deploy` or
 * `db push` finish "successfully" having done nothing, so this script refuses instead. Without the variable set, the CLI downloads the engine itself
 * when it can reach Prisma's CDN, and fails loudly when it cannot.
 *
 * `build`, `typecheck` and `test` all start with `generate`, and turbo may run them at once: a
 * lock serialises them, and a stamp skips the work when the client already matches the schema.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findSchemaEngine, prismaCliPath } from "../src/schema-engine.js";

const APP_DIR = fileURLToPath(new URL("..", import.meta.url));
const PLACEHOLDER_ENGINE = fileURLToPath(new URL("./no-schema-engine", import.meta.url));
const ENGINE_FREE_COMMANDS = new Set(["generate", "validate", "format", "studio"]);
const GENERATED = fileURLToPath(new URL("../src/generated/", import.meta.url));

const args = process.argv.slice(2);
const command = args[0] ?? "";
const cli = prismaCliPath();
if (!cli) fail("the `prisma` package is not installed (it is a devDependency of this app)");

const env = { ...process.env };
if (!findSchemaEngine(env)) {
  if (ENGINE_FREE_COMMANDS.has(command)) {
    env.PRISMA_SCHEMA_ENGINE_BINARY = PLACEHOLDER_ENGINE;
  } else if (env.PRISMA_SCHEMA_ENGINE_BINARY) {
    fail(
      `refusing \`prisma ${args.join(" ")}\`: PRISMA_SCHEMA_ENGINE_BINARY (${env.PRISMA_SCHEMA_ENGINE_BINARY}) ` +
        "is not Prisma's schema engine, and this command needs the real one. Unset the variable to let " +
        "the CLI download the engine, or point it at a schema-engine binary.",
    );
  }
}

process.exit(args.length === 1 && command === "generate" ? await generateOnce() : prisma(args));

function prisma(cliArgs: string[]): number {
  return spawnSync(process.execPath, [cli as string, ...cliArgs], { stdio: "inherit", env, cwd: APP_DIR }).status ?? 1;
}

/** `prisma generate`, unless the generated client already matches this schema and CLI version. */
async function generateOnce(): Promise<number> {
  const stampFile = join(GENERATED, ".schema-stamp");
  const cliVersion = JSON.parse(readFileSync(join(dirname(cli as string), "..", "package.json"), "utf8")).version;
  const stamp = createHash("sha256")
    .update(`prisma ${cliVersion}\n`)
    .update(readFileSync(join(APP_DIR, "prisma", "schema.prisma")))
    .digest("hex");
  const release = await lock(join(GENERATED, ".lock"));
  try {
    if (readOrNull(stampFile) === stamp && existsSync(join(GENERATED, "prisma", "client.ts"))) {
      console.log("Prisma Client is up to date with prisma/schema.prisma: not generated again.");
      return 0;
    }
    rmSync(stampFile, { force: true });
    const status = prisma(["generate"]);
    if (status === 0) writeFileSync(stampFile, stamp);
    return status;
  } finally {
    release();
  }
}

/** A directory as a lock: `mkdir` either creates it or fails, atomically. */
async function lock(path: string): Promise<() => void> {
  mkdirSync(GENERATED, { recursive: true });
  for (let waited = 0; ; waited += 100) {
    try {
      mkdirSync(path);
      return () => rmSync(path, { recursive: true, force: true });
    } catch {
      // A lock older than a minute belongs to a run that died: take it over.
      if (waited > 60_000) rmSync(path, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

function fail(message: string): never {
  console.error(`scripts/prisma.ts: ${message}`);
  process.exit(1);
}
