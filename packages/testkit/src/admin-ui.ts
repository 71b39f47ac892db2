/**
 * The admin-interface check of an app (issue #21's admin row): its admin started with the app's
 * documented command on a fresh database the app migrated itself, opened in a real browser
 * (Debian's Chromium driven by playwright-core, never a downloaded browser) with every request to
 * another origin blocked, so that passing also proves the admin works offline. The app's test file
 * says only how to reach the articles table; a screenshot of it goes to docs/admin/<tool>.png.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createFreshDatabase, findFreePort, runSql } from "@arena/database";
import type { DiscoveredApp } from "@arena/manifest";
import { expect, test } from "vitest";
import { collect, migrateByManifest } from "./app-process.js";
import { launchChromium, type Page, screenshotDir } from "./browser.js";

export { CHROMIUM, type Page } from "./browser.js";

/**
 * Where the screenshots go: test-results/admin/ on every run; with ARENA_WRITE_SCREENSHOTS=1,
 * docs/admin/, the pictures docs/admin.md shows.
 */
export const SCREENSHOT_DIR = screenshotDir("admin");

/** The titles the check seeds and then looks for in the admin's articles table. */
export const SEEDED_TITLES = ["How to train your dragon", "Admin interfaces, side by side", "A third article"];

// The first start may build the admin's own Python environment (about a minute on this machine's
// two cores, longer beside the rest of `npm test`).
const START_BOUND_MS = 300_000;
const VISIBLE_BOUND_MS = 60_000;
const VIEWPORT = { width: 1280, height: 800 };

export interface AdminUiCase {
  /** The tool, as named in docs/admin.md, and the screenshot's file name (docs/admin/<file>.png). */
  tool: string;
  file: string;
  /** The documented command, run in the app's folder with DATABASE_URL and ADMIN_PORT set. */
  command: string;
  /** A path that answers 2xx once the admin is up. */
  readyPath: string;
  /** Opens the articles table, from a page that has not navigated yet (signing in where the admin asks to). */
  openArticles(page: Page, baseUrl: string): Promise<void>;
  /**
   * An edit made through the admin after the screenshot: `perform` sets `column` of the seeded row
   * of `table` (the author in `users`, the first article in `articles`) to `value`; the check then
   * reads the row in SQL and wants that column changed and every other one as it was.
   */
  edit?: {
    table: "users" | "articles";
    column: string;
    value: string;
    perform(page: Page, baseUrl: string, row: { id: number; value: string }): Promise<void>;
  };
  /** Console errors that do not matter, each with the reason (e.g. blocked telemetry). */
  harmlessConsoleErrors?: { pattern: RegExp; why: string }[];
}

/** One vitest test: fresh database, the app's migrations, three articles, the admin, Chromium, screenshot. */
export function defineAdminUiTest(app: DiscoveredApp, adminCase: AdminUiCase): void {
  test(`${adminCase.tool} (\`${adminCase.command}\`) shows the seeded articles in Chromium`, async () => {
    const browser = await launchChromium("the admin-interface check");
    const database = await createFreshDatabase({ prefix: `admin_${app.manifest.name}` }).catch(async (error) => {
      await browser.close();
      throw error;
    });
    let admin: AdminProcess | undefined;
    try {
      await migrateByManifest(app, database.url);
      const seeded = await seedArticles(database.url);
      admin = await startAdmin(app, adminCase, database.url);

      const page = await browser.newPage({ viewport: VIEWPORT });
      const blocked: string[] = [];
      const consoleErrors: string[] = [];
      const pageErrors: string[] = [];
      const origin = new URL(admin.url).origin;
      await page.route("**/*", (route) => {
        const url = route.request().url();
        if (new URL(url).origin === origin || url.startsWith("data:")) return route.continue();
        blocked.push(url.split("?")[0] as string);
        return route.abort("internetdisconnected");
      });
      page.on("console", (message) => {
        if (message.type() === "error") consoleErrors.push(message.text());
      });
      page.on("pageerror", (error) => pageErrors.push(error.message));

      await adminCase.openArticles(page, admin.url);
      const cells = SEEDED_TITLES.map((title) => page.getByText(title, { exact: true }).first());
      for (const cell of cells) await cell.waitFor({ state: "visible", timeout: VISIBLE_BOUND_MS });
      // A wide table may hold the titles past the right edge: scroll them into the screenshot, and
      // check that every one is inside the viewport, not only rendered.
      await cells[0]?.scrollIntoViewIfNeeded();
      // The table may render again after the scroll: poll until each title sits inside the viewport.
      for (const [index, cell] of cells.entries()) {
        await expect
          .poll(async () => insideViewport(await cell.boundingBox().catch(() => null)), {
            message: `"${SEEDED_TITLES[index]}" inside the ${VIEWPORT.width}x${VIEWPORT.height} viewport`,
            timeout: 10_000,
          })
          .toBe(true);
      }
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const screenshot = join(SCREENSHOT_DIR, `${adminCase.file}.png`);
      await page.screenshot({ path: screenshot });

      let edited = "";
      if (adminCase.edit) {
        const { table, column, value, perform } = adminCase.edit;
        const id = table === "users" ? seeded.authorId : (seeded.articleIds[0] as number);
        const read = async () =>
          (await runSql(database.url, `SELECT * FROM ${table} WHERE id = $1`, [id]))[0] as Record<string, unknown>;
        const before = await read();
        await perform(page, admin.url, { id, value });
        await expect.poll(async () => (await read())[column], { timeout: VISIBLE_BOUND_MS }).toBe(value);
        expect(await read(), `the other columns of ${table} ${id} after the edit`).toEqual({
          ...before,
          [column]: value,
        });
        edited = `\n  edit: ${table}.${column} of row ${id} saved, every other column unchanged`;
      }

      const harmless = adminCase.harmlessConsoleErrors ?? [];
      const mattering = consoleErrors.filter((text) => !harmless.some(({ pattern }) => pattern.test(text)));
      console.log(
        [
          `${adminCase.tool}: \`${adminCase.command}\` answered ${adminCase.readyPath} ${(admin.startMs / 1000).toFixed(1)} s after it was started`,
          `  articles table shows ${SEEDED_TITLES.length} seeded titles; screenshot ${screenshot}`,
          `  requests to other origins, blocked: ${blocked.length === 0 ? "none" : [...new Set(blocked)].join(", ")}`,
          `  console errors: ${consoleErrors.length} (${consoleErrors.length - mattering.length} harmless)${edited}`,
        ].join("\n"),
      );
      expect(pageErrors).toEqual([]);
      expect(mattering).toEqual([]);
    } finally {
      await browser.close();
      await admin?.stop();
      await database.drop();
    }
  }, 600_000);
}

function insideViewport(box: { x: number; y: number; width: number; height: number } | null): boolean {
  return (
    box !== null &&
    box.x >= 0 &&
    box.y >= 0 &&
    box.x + box.width <= VIEWPORT.width &&
    box.y + box.height <= VIEWPORT.height
  );
}

/** One author and the three articles of SEEDED_TITLES, on the canonical (v2) columns every app's migrations produce. */
async function seedArticles(databaseUrl: string): Promise<{ authorId: number; articleIds: number[] }> {
  const [author] = await runSql<{ id: number }>(
    databaseUrl,
    "INSERT INTO users (email, username, password_hash, bio) VALUES ($1, $2, $3, $4) RETURNING id",
    ["admin-ui@example.com", "admin-ui", "not-a-password-hash", "Seeded by the admin-interface check"],
  );
  const authorId = author?.id as number;
  const articleIds: number[] = [];
  for (const [index, title] of SEEDED_TITLES.entries()) {
    const [article] = await runSql<{ id: number }>(
      databaseUrl,
      `INSERT INTO articles (slug, title, description, content, author_id, reading_minutes)
       VALUES ($1, $2, $3, $4, $5, 1) RETURNING id`,
      [`seeded-article-${index + 1}`, title, `Description ${index + 1}`, `Content of article ${index + 1}`, authorId],
    );
    articleIds.push(article?.id as number);
  }
  return { authorId, articleIds };
}

interface AdminProcess {
  url: string;
  /** From spawning the command to the first 2xx on readyPath. */
  startMs: number;
  stop(): Promise<void>;
}

/**
 * The command in its own process group: `npm run admin` is npm, then a shell, then the admin
 * (Python or Node), and stopping the group reaches all of them.
 */
async function startAdmin(app: DiscoveredApp, adminCase: AdminUiCase, databaseUrl: string): Promise<AdminProcess> {
  const port = await findFreePort();
  const started = performance.now();
  const child: ChildProcess = spawn("sh", ["-c", `exec ${adminCase.command}`], {
    cwd: app.dir,
    env: { ...process.env, DATABASE_URL: databaseUrl, ADMIN_PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const output = collect(child);
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // The group has already exited.
    }
  };
  const killOnExit = () => killGroup("SIGKILL");
  process.once("exit", killOnExit);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const stop = async () => {
    killGroup("SIGTERM");
    const timer = setTimeout(() => killGroup("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
    killGroup("SIGKILL");
    process.removeListener("exit", killOnExit);
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_BOUND_MS;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`\`${adminCase.command}\` exited with ${child.exitCode}:\n${output.text}`);
    const ready = await fetch(`${url}${adminCase.readyPath}`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { url, startMs: performance.now() - started, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`\`${adminCase.command}\` did not answer within ${START_BOUND_MS} ms:\n${output.text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
