#!/usr/bin/env node
// The npm mirror this project is developed against lacks some platform builds of native
// packages (e.g. @turbo/darwin-64, @biomejs/cli-win32-x64), so `npm install` here leaves them out
// of package-lock.json, and `npm ci` then refuses the lockfile as out of sync. This adds an entry
// (name, version, optional) for each optional dependency the lockfile names but does not hold,
// which is what `npm ci` needs to skip it on a platform that does not use it.
// Run it after `npm install` changes the lockfile: `npm run lock:stubs`.
import { readFileSync, writeFileSync } from "node:fs";

const path = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8"));
const packages = lock.packages;
let added = 0;

/** Where Node would find `name` from the package at `from`: its own node_modules, then upwards. */
function resolves(from, name) {
  let base = from;
  for (;;) {
    if (packages[`${base ? `${base}/` : ""}node_modules/${name}`]) return true;
    if (!base) return false;
    const cut = base.lastIndexOf("/node_modules/");
    base = cut < 0 ? "" : base.slice(0, cut);
  }
}

for (const [location, entry] of Object.entries(packages)) {
  if (entry.link) continue;
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    if (resolves(location, name)) continue;
    if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec)) {
      console.error(`skipped ${name}@${spec} (not an exact version) for ${location || "the root"}`);
      continue;
    }
    const target = packages[`node_modules/${name}`] ? `${location}/node_modules/${name}` : `node_modules/${name}`;
    packages[target] = { version: spec, ...(entry.dev ? { dev: true } : {}), optional: true };
    added++;
  }
}

writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lock-platform-stubs: added ${added} missing optional platform entries`);
