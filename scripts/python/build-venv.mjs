#!/usr/bin/env node
// Builds the Python environment of the package in the current folder (every Python app's and the
// shared layer's `npm run build`): `.venv` from `requirements.lock` with `pip install
// --require-hashes`, then the repository's own packages (the shared layer, the app itself) by a
// path file, as an editable install with --no-deps would: they add nothing the lock did not pin.
//
// Idempotent and fast: a stamp in .venv records the lock, the Python version and the local
// packages' pyproject.toml; when nothing changed, it says so and returns at once. Without a
// usable Python it prints one line and exits 0, so `npm ci && npm run bench` still works on a
// machine without Python (the Python apps' tests say they were skipped, scripts/python/when-python.mjs).
//
// Usage (in the package folder): node ../../scripts/python/build-venv.mjs [--venv DIR] [--lock FILE] [local package folder ...]
// Without folders the local packages are ../../packages/py-api and the current folder. `--venv
// .venv-admin --lock requirements-admin.lock` builds an app's admin tool its own environment, so
// that the app's .venv holds exactly requirements.lock.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { findPython } from "./python.mjs";

const here = process.cwd();
const name = basename(here);
const options = { venv: ".venv", lock: "requirements.lock" };
const folders = [];
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i];
  if (arg === "--venv" || arg === "--lock") options[arg.slice(2)] = process.argv[++i];
  else folders.push(arg);
}
const locals = (folders.length > 0 ? folders : ["../../packages/py-api", "."]).map((dir) => resolve(here, dir));
const lock = join(here, options.lock);
const venv = join(here, options.venv);
const venvPython = join(venv, "bin", "python");
const stampFile = join(venv, ".arena-build-stamp");

const python = findPython();
if (!python.command) {
  console.log(`${name}: Python environment not built: ${python.reason}; this Python app is skipped`);
  process.exit(0);
}

const hash = createHash("sha256");
hash.update(`python ${python.version}\n`);
hash.update(readFileSync(lock));
for (const dir of locals) hash.update(`${dir}\n${readFileSync(join(dir, "pyproject.toml"), "utf8")}`);
const stamp = hash.digest("hex");

// One build at a time per app: turbo builds the app while a tool of another package (the buffer
// guard, sql-report) may ask for the same .venv; the second waits for the first, then finds it up
// to date. A lock older than ten minutes is from a build that died and is taken over.
const lockDir = join(here, `${options.venv}-build.lock`);
const waitStarted = Date.now();
for (;;) {
  try {
    mkdirSync(lockDir);
    break;
  } catch (error) {
    if (error.code !== "EEXIST") throw error;
    const age = Date.now() - (statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > 10 * 60_000) rmSync(lockDir, { recursive: true, force: true });
    else if (Date.now() - waitStarted > 15 * 60_000) throw new Error(`${name}: ${lockDir} held for 15 min`);
    else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
}
process.on("exit", () => rmSync(lockDir, { recursive: true, force: true }));

if (existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp && existsSync(venvPython)) {
  console.log(`${name}: ${options.venv} is up to date (Python ${python.version})`);
  process.exit(0);
}

const run = (command, args) => {
  const result = spawnSync(command, args, { stdio: "inherit", cwd: here });
  if (result.status !== 0) {
    console.error(`${name}: ${[command, ...args].join(" ")} failed (${result.status ?? result.signal})`);
    process.exit(1);
  }
};

// A venv built by another Python (or half built) is rebuilt from scratch, never patched.
const previous = existsSync(venvPython)
  ? spawnSync(venvPython, ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"], { encoding: "utf8" })
  : null;
if (previous && (previous.status !== 0 || previous.stdout.trim() !== python.version)) {
  rmSync(venv, { recursive: true, force: true });
}
const started = performance.now();
if (!existsSync(venvPython)) run(python.command, ["-m", "venv", venv]);
const pip = [venvPython, "-m", "pip", "--disable-pip-version-check", "--no-input"];
run(pip[0], [...pip.slice(1), "install", "--quiet", "--require-hashes", "--only-binary=:all:", "-r", lock]);
// The repository's own packages go in as a path file: what an editable install (`pip install -e
// --no-deps`) leaves behind, without building them (no setuptools or wheel download, nothing unpinned).
const sitePackages = spawnSync(venvPython, ["-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], {
  encoding: "utf8",
}).stdout.trim();
writeFileSync(join(sitePackages, "arena-local-packages.pth"), `${locals.map((dir) => join(dir, "src")).join("\n")}\n`);
writeFileSync(stampFile, stamp);
console.log(
  `${name}: ${options.venv} built from ${options.lock} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
