import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../lib/apps.js";

// The project pins its runtime as the root devDependency `node`, whose binary npm puts first on
// PATH inside every npm script: the machine's own Node only bootstraps `npm ci`. These checks fail
// when something runs the project on another Node (a tool started outside npm, a lost pin).
const pinned = (
  JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
    devDependencies: Record<string, string>;
  }
).devDependencies.node;

describe(`the runtime (tests run on Node ${process.version})`, () => {
  it("is the pinned Node for the tests themselves", () => {
    expect(process.version).toBe(`v${pinned}`);
  });

  it("is the pinned Node for the processes the tests and the bench start", () => {
    // The bench and the reliability suite spawn apps with process.execPath; scripts call `node`.
    expect(execFileSync(process.execPath, ["--version"], { encoding: "utf8" }).trim()).toBe(`v${pinned}`);
    expect(execFileSync("node", ["--version"], { encoding: "utf8" }).trim()).toBe(`v${pinned}`);
  });
});
