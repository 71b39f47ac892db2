import { execFile, execFileSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { createFreshDatabase } from "@arena/database";
import { type AppManifest, discoverApps } from "@arena/manifest";
import { migrateByManifest, startByManifest } from "@arena/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findBaseline, repoRoot } from "../lib/apps.js";
import { composeFiles } from "../lib/compose.js";

// "Adding an app is adding apps/<name>/": in a copy of the repository, a throwaway app folder made
// from the baseline's under a new name (its package name, manifest and module name changed, as the
// architecture page says) is picked up by every tool with no other file changed. Discovery-level
// checks (what each tool would run), and one real run: the new app migrated and started from its
// manifest, answering over HTTP.

const NAME = "throwaway";
let copy: string;

/**
 * Runs a command in the copy, with the tools reading the copy's apps/ (ARENA_ROOT). A few seconds
 * each on an idle machine; the bound is for a machine busy with the rest of `npm test`.
 */
const inCopy = async (command: string, args: string[]) =>
  (
    await promisify(execFile)(command, args, {
      cwd: copy,
      encoding: "utf8",
      env: { ...process.env, ARENA_ROOT: copy },
      maxBuffer: 64 * 1024 * 1024,
    })
  ).stdout;
const TOOL_BOUND_MS = 240_000;

beforeAll(async () => {
  copy = await mkdtemp(join(tmpdir(), "arena-add-app-"));
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: repoRoot, encoding: "utf8" })
    .split("\n")
    .filter((file) => file && !file.startsWith("docs/") && !file.startsWith("results/"));
  for (const file of files) {
    await mkdir(join(copy, dirname(file)), { recursive: true });
    await cp(join(repoRoot, file), join(copy, file)).catch(() => undefined); // a file deleted but not staged
  }
  await symlink(join(repoRoot, "node_modules"), join(copy, "node_modules"));

  // The new app: a copy of the baseline's folder, renamed.
  const baseline = await findBaseline();
  const app = join(copy, "apps", NAME);
  await cp(baseline.dir, app, {
    recursive: true,
    filter: (source) => !/\/(node_modules|dist)(\/|$)/.test(source),
  });
  const pkg = JSON.parse(await readFile(join(app, "package.json"), "utf8")) as { name: string };
  pkg.name = `@arena/app-${NAME}`;
  await writeFile(join(app, "package.json"), JSON.stringify(pkg, null, 2));
  const apps = await discoverApps();
  const manifest: AppManifest = {
    ...baseline.manifest,
    name: NAME,
    title: "A throwaway copy of the baseline",
    baseline: false,
    docker: { port: Math.max(...apps.map((each) => each.manifest.docker.port)) + 1 },
  };
  delete manifest.sideBySide;
  await writeFile(join(app, "arena.json"), JSON.stringify(manifest, null, 2));
  const module = await readFile(join(app, "src", "app.ts"), "utf8");
  await writeFile(join(app, "src", "app.ts"), module.replace(`name: "${baseline.manifest.name}"`, `name: "${NAME}"`));
}, 120_000);

afterAll(async () => {
  if (copy) await rm(copy, { recursive: true, force: true });
});

describe("adding an app is adding its folder", () => {
  it(
    "turbo runs its tests, typecheck and build",
    async () => {
      const plan = JSON.parse(await inCopy("npx", ["turbo", "run", "test", "typecheck", "build", "--dry=json"])) as {
        tasks: { taskId: string }[];
      };
      const tasks = plan.tasks.map((task) => task.taskId);
      for (const task of ["test", "typecheck", "build"]) expect(tasks).toContain(`@arena/app-${NAME}#${task}`);
    },
    TOOL_BOUND_MS,
  );

  it(
    "the bench (--quick) and the comparison measure it",
    async () => {
      const [benchPlan, comparePlan] = await Promise.all([
        inCopy("npx", ["tsx", "--conditions=@arena/source", "scripts/bench.ts", "--quick", "--plan"]),
        inCopy("npx", ["tsx", "--conditions=@arena/source", "scripts/compare.ts", "--plan"]),
      ]);
      expect((JSON.parse(benchPlan) as { apps: string[] }).apps).toContain(NAME);
      expect((JSON.parse(comparePlan) as { apps: string[] }).apps).toContain(NAME);
    },
    TOOL_BOUND_MS,
  );

  it("docker gets its service, database and load-runner target", async () => {
    const { compose, postgresInit } = composeFiles(await discoverApps(undefined, copy));
    expect(compose).toContain(`\n  ${NAME}:\n`);
    expect(compose).toContain(`${NAME}=http://${NAME}:3000`);
    expect(postgresInit).toContain(`CREATE DATABASE arena_${NAME};`);
  });

  it(
    "migrates and serves from its manifest's commands",
    async () => {
      const [app] = await discoverApps([NAME], copy);
      if (!app) throw new Error("the new app was not discovered");
      const database = await createFreshDatabase({ prefix: `${NAME}_added` });
      try {
        await migrateByManifest(app, database.url);
        const server = await startByManifest(app, { databaseUrl: database.url, jwtSecret: "add-an-app-secret" });
        try {
          const reply = await fetch(`${server.url}/api/tags`);
          expect(reply.status, server.output()).toBe(200);
          expect(await reply.json()).toEqual({ tags: [] });
        } finally {
          await server.stop();
        }
      } finally {
        await database.drop();
      }
    },
    TOOL_BOUND_MS,
  );
});
