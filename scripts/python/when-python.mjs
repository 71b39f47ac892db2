#!/usr/bin/env node
// Runs a command (a Python app's tests or type check) only when its .venv was built; otherwise says
// in one line that the app is skipped and why, and exits 0. `npm run build` (scripts/python/build-venv.mjs)
// builds the .venv whenever a usable Python is on the machine.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { findPython } from "./python.mjs";

const name = basename(process.cwd());
const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error("usage: when-python.mjs <command> [args...]");
  process.exit(1);
}
if (!existsSync(join(process.cwd(), ".venv", "bin", "python"))) {
  const python = findPython();
  const why = python.command ? "its .venv is not built (run `npm run build`)" : python.reason;
  if (python.command) {
    console.error(`${name}: ${why}`);
    process.exit(1);
  }
  console.log(`SKIPPED ${name}: ${why}`);
  process.exit(0);
}
const result = spawnSync(command, args, { stdio: "inherit", shell: false });
process.exit(result.status ?? 1);
