import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { median } from "@arena/bench";
import { createFreshDatabase, findFreePort } from "@arena/database";
import { type DiscoveredApp, loadAppModule, repoRoot } from "./apps.js";

/**
 * The rule for lines of code, the same for every file of every app: non-blank lines that are not
 * only a comment (`//`, `/*`, `*`, `--`, `#`). JSON (tool snapshots, journals) is not code.
 */
export function codeLines(file: string): number {
  if (file.endsWith(".json") || file.endsWith(".toml")) return 0;
  return readFileSync(file, "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !/^(\/\/|\/\*|\*|--|#)/.test(line)).length;
}

/** Every file git tracks under an app folder, relative to it. */
export function trackedFiles(app: DiscoveredApp): string[] {
  return execFileSync("git", ["ls-files"], { cwd: app.dir, encoding: "utf8" }).split("\n").filter(Boolean);
}

export interface DependencyFootprint {
  /** Production dependencies the app's package.json names itself, not counting the shared @arena packages. */
  direct: string[];
  /** Every package in the production dependency tree (shared packages' dependencies included). */
  total: number;
  /** Their size on disk, in bytes. */
  bytes: number;
  /** The packages the app's own dependencies bring (the tree below `direct` alone): what the ORM adds. */
  own: number;
  ownBytes: number;
}

/**
 * Walks the production dependency tree the way Node resolves it (from the app folder, through the
 * workspace links), counting each installed package once and summing its folder's size without
 * nested node_modules (those packages are counted on their own).
 */
export function dependencyFootprint(app: DiscoveredApp): DependencyFootprint {
  const manifest = JSON.parse(readFileSync(join(app.dir, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
  };
  const seen = new Map<string, number>();
  const visit = (name: string, fromDir: string) => {
    let pkgJson: string;
    try {
      pkgJson = createRequire(join(fromDir, "noop.js")).resolve(`${name}/package.json`);
    } catch {
      pkgJson = findPackageJson(name, fromDir) ?? "";
      if (!pkgJson) return;
    }
    const dir = dirname(pkgJson);
    if (seen.has(dir)) return;
    const isWorkspace = !relative(repoRoot, dir).startsWith("node_modules");
    seen.set(dir, isWorkspace ? 0 : folderBytes(dir));
    const pkg = JSON.parse(readFileSync(pkgJson, "utf8")) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) visit(dep, dir);
  };
  const direct = Object.keys(manifest.dependencies ?? {}).filter((dep) => !dep.startsWith("@arena/"));
  const installed = () => [...seen.entries()].filter(([dir]) => relative(repoRoot, dir).startsWith("node_modules"));
  for (const dep of direct) visit(dep, app.dir);
  const own = installed();
  for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep, app.dir);
  const all = installed();
  const size = (list: [string, number][]) => list.reduce((sum, [, bytes]) => sum + bytes, 0);
  return { direct, total: all.length, bytes: size(all), own: own.length, ownBytes: size(own) };
}

/** package.json exports may hide `./package.json`: find it by walking up node_modules folders. */
function findPackageJson(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name, "package.json");
    if (existsSync(candidate)) return candidate;
    if (dir === dirname(dir)) return undefined;
  }
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

/** Runs the app's own `build` script (not turbo: nothing cached) and times it. */
export function timeBuild(app: DiscoveredApp): number {
  const started = performance.now();
  execFileSync("npm", ["run", "build", "--silent"], { cwd: app.dir, stdio: "pipe" });
  return performance.now() - started;
}

export interface StartupFigures {
  /** Process start to the first 200 from GET /api/tags, median of the runs. */
  coldStartMs: number;
  /** Resident memory after start, one request and a second of idling, median of the runs (MiB). */
  idleRssMiB: number;
}

/**
 * Starts the built app (`node dist/main.js`, production mode) on a migrated database, as a
 * deployment would, and measures how long it takes to answer and how much memory it then holds.
 */
export async function measureStartup(app: DiscoveredApp, runs = 3): Promise<StartupFigures> {
  const module = await loadAppModule(app);
  const database = await createFreshDatabase({ prefix: `${app.manifest.name}_startup` });
  try {
    await module.migrate(database.url);
    const starts: number[] = [];
    const memory: number[] = [];
    for (let run = 0; run < runs; run++) {
      const port = await findFreePort();
      const started = performance.now();
      const child = spawn(process.execPath, ["dist/main.js"], {
        cwd: app.dir,
        env: {
          ...process.env,
          NODE_ENV: "production",
          JWT_SECRET: "startup",
          DATABASE_URL: database.url,
          PORT: String(port),
        },
        stdio: "ignore",
      });
      try {
        await untilOk(`http://127.0.0.1:${port}/api/tags`, child);
        starts.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        memory.push(rssMiB(child.pid as number));
      } finally {
        child.kill("SIGTERM");
        await new Promise((resolve) => child.once("exit", resolve));
      }
    }
    return { coldStartMs: median(starts), idleRssMiB: median(memory) };
  } finally {
    await database.drop();
  }
}

async function untilOk(url: string, child: ChildProcess): Promise<void> {
  const deadline = performance.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode}) before answering ${url}`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) throw new Error(`no 200 from ${url} within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}
