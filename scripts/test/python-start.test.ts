import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { findFreePort } from "@arena/database";
import { findBaseline } from "@arena/manifest";
import { expect, it } from "vitest";
import { missingRuntime } from "../lib/endpoint-work.js";

// `npm start` in a Python app's folder on a machine without a database, as a user runs it: the
// shared launcher (scripts/python/start.ts) starts an embedded PostgreSQL, migrates it with the
// manifest's command and serves it; SIGTERM stops the app and then PostgreSQL. Every Python app's
// `npm start` is that one launcher, so the Python baseline stands for them all.

const app = await findBaseline("python");

it(`npm start in apps/${app.manifest.name} without DATABASE_URL serves an embedded PostgreSQL, and SIGTERM leaves nothing running`, async (context) => {
  const skipped = missingRuntime(app);
  if (skipped) {
    console.log(`python start: not run: ${skipped}`);
    context.skip(skipped);
  }
  const port = await findFreePort();
  const { DATABASE_URL: _unset, ...env } = process.env;
  const npm = spawn("npm", ["start"], {
    cwd: app.dir,
    env: { ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = { text: "" };
  const keep = (chunk: Buffer) => {
    output.text += chunk.toString();
  };
  npm.stdout.on("data", keep);
  npm.stderr.on("data", keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    npm.once("exit", (code, signal) => resolve({ code, signal })),
  );
  try {
    await untilHealthy(`http://127.0.0.1:${port}/healthz`, npm, () => output.text);
    const tags = await fetch(`http://127.0.0.1:${port}/api/tags`);
    expect(tags.status, output.text).toBe(200);
    expect(await tags.json()).toEqual({ tags: [] });
    expect(output.text).toContain(`${app.manifest.name}: started an embedded PostgreSQL and migrated it`);

    const running = descendants(npm.pid as number);
    expect(
      running.some((each) => each.command === "postgres"),
      JSON.stringify(running),
    ).toBe(true);

    npm.kill("SIGTERM");
    expect(await exited, output.text).toEqual({ code: 0, signal: null });
    // Helpers that see their parent go (tsx's esbuild service) may take a moment to follow it;
    // an orphaned PostgreSQL or Python never does.
    let alive = running;
    for (let attempt = 0; attempt < 100 && alive.length > 0; attempt++) {
      alive = alive.filter((each) => isAlive(each.pid));
      if (alive.length > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(alive, `left running after npm exited:\n${output.text}`).toEqual([]);
  } finally {
    if (npm.exitCode === null && npm.signalCode === null) npm.kill("SIGKILL");
  }
}, 300_000);

/** Polls until the app answers `/healthz`; fails at once if npm exits first. Bounded, not timed. */
async function untilHealthy(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (let attempt = 0; attempt < 1200; attempt++) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output()}`);
    const healthy = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the app never answered ${url}:\n${output()}`);
}

/** Every process below `root` (npm, sh, the launcher, Python, PostgreSQL and its workers), from ps. */
function descendants(root: number): { pid: number; command: string }[] {
  const table = spawnSync("ps", ["-A", "-o", "pid=,ppid=,comm="], { encoding: "utf8" }).stdout;
  const rows = table
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .map(([pid, ppid, command]) => ({ pid: Number(pid), ppid: Number(ppid), command: command ?? "" }));
  const found: { pid: number; command: string }[] = [];
  const parents = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of rows) {
      if (parents.has(row.ppid) && !parents.has(row.pid)) {
        parents.add(row.pid);
        found.push({ pid: row.pid, command: row.command });
        grew = true;
      }
    }
  }
  return found;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
