import { type ChildProcess, execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { median } from "@arena/bench";
import { createFreshDatabase, findFreePort } from "@arena/database";
import { runCommand } from "@arena/testkit/app-process";
import { type DiscoveredApp, loadMigrate, repoRoot } from "./apps.js";
import { pythonDependencyFootprint } from "./python-dependencies.js";

/**
 * The rule for lines of code, the same for every file of every app: non-blank lines that are not
 * only a comment (`//`, `/*`, `*`, `--`, `#`) nor part of a Python docstring (the documentation
 * a TypeScript file writes as a JSDoc comment). JSON (tool snapshots, journals) is not code.
 */
export function codeLines(file: string): number {
  if (file.endsWith(".json") || file.endsWith(".toml")) return 0;
  const docstrings = file.endsWith(".py") ? docstringLines(file) : new Set<number>();
  return readFileSync(file, "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line, i) => line.length > 0 && !/^(\/\/|\/\*|\*|--|#)/.test(line) && !docstrings.has(i + 1)).length;
}

/** The lines of a Python file's docstrings (module, class, function), found by Python's own parser. */
function docstringLines(file: string): Set<number> {
  const script = `
import ast, json, sys
tree = ast.parse(open(sys.argv[1], encoding="utf-8").read())
lines = []
for node in ast.walk(tree):
    if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
        first = node.body[0]
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            lines.extend(range(first.lineno, (first.end_lineno or first.lineno) + 1))
print(json.dumps(lines))
`;
  return new Set(JSON.parse(execFileSync("python3", ["-c", script, file], { encoding: "utf8" })) as number[]);
}

export { trackedFiles } from "@arena/manifest";

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
  if (app.manifest.language === "python") return pythonDependencyFootprint(app);
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

/**
 * Runs the app's own `build` script (not turbo: nothing cached) and times it. A Python app's build
 * is its .venv from the lock (pip's wheel cache warm), which returns at once when up to date: the
 * .venv is set aside for the timed build, and put back if the build fails.
 */
export function timeBuild(app: DiscoveredApp): number {
  const venv = join(app.dir, ".venv");
  const aside = `${venv}.before-timed-build`;
  const python = app.manifest.language === "python" && existsSync(venv);
  if (python) renameSync(venv, aside);
  const started = performance.now();
  try {
    execFileSync("npm", ["run", "build", "--silent"], { cwd: app.dir, stdio: "pipe" });
  } catch (error) {
    if (python) {
      rmSync(venv, { recursive: true, force: true });
      renameSync(aside, venv);
    }
    throw error;
  }
  const elapsed = performance.now() - started;
  if (python) rmSync(aside, { recursive: true, force: true });
  return elapsed;
}

export interface StartupFigures {
  /** Process start to the first 200 from GET /api/tags, median of the runs. */
  coldStartMs: number;
  /** Resident memory after start, one request and a second of idling, median of the runs (MiB). */
  idleRssMiB: number;
}

/**
 * Starts the built app by its manifest's `start` command (production mode), on a database its
 * own migrate brought to the latest schema, as a deployment would, and measures how long it takes
 * to answer and how much memory its processes (a server's workers included) then hold.
 */
export async function measureStartup(app: DiscoveredApp, runs = 3): Promise<StartupFigures> {
  const migrate = await loadMigrate(app);
  const database = await createFreshDatabase({ prefix: `${app.manifest.name}_startup` });
  try {
    await migrate(database.url);
    const starts: number[] = [];
    const memory: number[] = [];
    for (let run = 0; run < runs; run++) {
      const port = await findFreePort();
      const started = performance.now();
      const child = runCommand(app, app.manifest.commands.start, {
        NODE_ENV: "production",
        JWT_SECRET: "startup",
        DATABASE_URL: database.url,
        PORT: String(port),
      });
      child.stdout?.resume();
      child.stderr?.resume();
      try {
        await untilOk(`http://127.0.0.1:${port}/api/tags`, child);
        starts.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        memory.push(treeRssMiB(child.pid as number));
      } finally {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
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

/** Resident memory of a process and all its descendants (a server's worker processes). */
function treeRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024 + childrenOf(pid).reduce((sum, child) => sum + treeRssMiB(child), 0);
}

function childrenOf(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
    readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(/\s+/).filter(Boolean).map(Number),
  );
}
