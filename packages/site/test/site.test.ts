/**
 * The site in a real browser (issue #22): `npm run site`'s build, opened from the disk (file://)
 * in Debian's Chromium. Every page loads with no console error, no failed request and no request
 * that leaves the disk; the compare page switches apps through its URL and through its controls,
 * its code and SQL panes hold the chosen apps' own text (read here from their store files and
 * docs/sql.json), every use case of the port is there, and the charts draw one series per app.
 * A screenshot of each page goes to test-results/site/ (docs/site/ with ARENA_WRITE_SCREENSHOTS=1).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { SCENARIOS } from "@arena/bench";
import { discoverApps, repoRoot } from "@arena/manifest";
import { type Browser, launchChromium, type Page, screenshotDir } from "@arena/testkit/browser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { snakeCase } from "../src/build/extract.js";
import { readPort } from "../src/build/port.js";

const packageDir = join(import.meta.dirname, "..");
const indexUrl = pathToFileURL(join(packageDir, "dist", "index.html")).href;
const shots = screenshotDir("site");
const apps = await discoverApps();
const useCases = readPort();
const sqlReport = JSON.parse(readFileSync(join(repoRoot, "docs/sql.json"), "utf8")) as {
  apps: { name: string; endpoints: { endpoint: string; statements: { query: string }[] }[] }[];
};
const bench = JSON.parse(readFileSync(join(repoRoot, "docs/benchmarks/latest/results.json"), "utf8")) as {
  cells: { app: string; scenario: string; baseline: string | null; ratioToBaseline: number | null }[];
};
const benchApps = new Set(bench.cells.map((cell) => cell.app));
/** Cells below 0.8 of their baseline in the scenarios the site shows: each says why in the matrix. */
const slowCells = bench.cells.filter(
  (cell) =>
    cell.app !== cell.baseline &&
    cell.ratioToBaseline !== null &&
    cell.ratioToBaseline < 0.8 &&
    SCENARIOS.some((scenario) => scenario.name === cell.scenario),
).length;

/** The line that opens `method` in the app's store files, as written there. */
function methodLine(name: string, method: string): string {
  const app = apps.find((each) => each.manifest.name === name);
  if (!app) throw new Error(`no app ${name}`);
  const python = app.manifest.language === "python";
  const pattern = python
    ? new RegExp(`^\\s*async def ${snakeCase(method)}\\(.*$`, "m")
    : new RegExp(`^\\s*async ${method}\\(.*$`, "m");
  for (const file of app.manifest.layers.store) {
    const match = pattern.exec(readFileSync(join(app.dir, file), "utf8"));
    if (match) return match[0].trim();
  }
  throw new Error(`${name}: no ${method} in ${app.manifest.layers.store.join(", ")}`);
}

const squeeze = (text: string) => text.replace(/\s+/g, "");

/** The first statement docs/sql.json records for an app's endpoint, without its whitespace. */
function firstStatement(app: string, endpoint: string): string {
  const found = sqlReport.apps.find((each) => each.name === app)?.endpoints.find((each) => each.endpoint === endpoint);
  const query = found?.statements[0]?.query;
  if (!query) throw new Error(`docs/sql.json: no statement for ${app} ${endpoint}`);
  return squeeze(query);
}

let browser: Browser;
let page: Page;
const problems: string[] = [];
let buildOutput = "";

beforeAll(async () => {
  const started = performance.now();
  const build = spawnSync(process.execPath, ["--conditions=@arena/source", "--import", "tsx", "src/build/main.ts"], {
    cwd: packageDir,
    encoding: "utf8",
  });
  buildOutput = `${build.stdout}${build.stderr}`;
  if (build.status !== 0) throw new Error(`npm run site failed:\n${buildOutput}`);
  console.log(`${buildOutput.trim()} (${((performance.now() - started) / 1000).toFixed(1)} s with the process)`);
  browser = await launchChromium("the site's browser test");
  page = watched(await browser.newPage({ viewport: { width: 1400, height: 900 } }));
  mkdirSync(shots, { recursive: true });
});

/** Records every console error, page error, failed request and request that leaves the disk. */
function watched(on: Page): Page {
  on.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  on.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  on.on("requestfailed", (request) => problems.push(`failed request: ${request.url()}`));
  on.on("request", (request) => {
    if (!/^(file|data):/.test(request.url())) problems.push(`request off the disk: ${request.url()}`);
  });
  return on;
}

afterAll(async () => {
  await browser?.close();
});

/** Opens a view and waits until the page shows it (a new hash renders without reloading the page). */
async function open(hash: string, on: Page = page): Promise<void> {
  await on.goto(`${indexUrl}${hash}`);
  await on.waitForSelector(`#page[data-ready][data-route="${hash}"]`);
}

/** The distinct fill colours of a chart's dots: one per series. */
const seriesOf = (selector: string) =>
  page.$$eval(
    `${selector} svg g[aria-label="dot"] [fill]`,
    (dots) => [...new Set(dots.map((dot) => dot.getAttribute("fill")))].length,
  );

describe("the site, opened from file:// in Chromium", () => {
  it("overview: the matrix sorts and explains a slow cell, and each chart has one series per app", async () => {
    await open("#/");
    await page.screenshot({ path: join(shots, "overview.png") });
    const headers = () => page.$$eval("#matrix thead th a", (links) => links.map((link) => link.textContent));
    expect(await headers()).toHaveLength(apps.length);
    // Sorting by a row of numbers puts the largest first.
    await page.getByRole("rowheader", { name: /^Lines: store \(queries\)/ }).click();
    const values = await page.$$eval("#matrix tbody tr:has(th[data-sort]) td[data-app]", (cells) =>
      cells.map((cell) => cell.textContent),
    );
    expect(values.length).toBeGreaterThan(0);
    const storeRow = await page.$$eval("#matrix tbody tr", (rows) => {
      const row = rows.find((each) => each.querySelector("th")?.textContent?.startsWith("Lines: store"));
      return [...(row?.querySelectorAll("td") ?? [])].map((cell) => Number.parseFloat(cell.textContent ?? ""));
    });
    expect(storeRow).toEqual([...storeRow].sort((a, b) => b - a));
    // A cell below 0.8 of its baseline gives its cause on click.
    const slow = page.locator("#matrix td.has-cause");
    expect(await slow.count()).toBe(slowCells);
    if (slowCells > 0) {
      await slow.first().click();
      await expect.poll(() => page.locator("#cause").textContent()).toContain("Measured beside the baseline's cell");
    }
    expect(await seriesOf('[data-chart="ratio"]')).toBe(benchApps.size);
    expect(await seriesOf('[data-chart="latency"]')).toBe(benchApps.size);
    expect(await seriesOf('[data-chart="database-work"]')).toBe(benchApps.size);
    // One language's apps: the matrix's columns and the charts' series follow.
    const python = apps.filter((app) => app.manifest.language === "python").map((app) => app.manifest.name);
    await page.click('#language button[data-language="python"]');
    expect((await headers()).sort()).toEqual([...python].sort());
    expect(await seriesOf('[data-chart="ratio"]')).toBe(python.filter((name) => benchApps.has(name)).length);
    await page.click('#language button[data-language="all"]');
    expect(await headers()).toHaveLength(apps.length);
  });

  it("compare: every use case of the port shows both apps' code, SQL and figures", async () => {
    await open("#/compare/drizzle/prisma");
    expect(page.url()).toMatch(/#\/compare\/drizzle\/prisma$/);
    for (const useCase of useCases) {
      const section = page.locator(`section[data-usecase="${useCase.id}"]`);
      const panes = section.locator(".pane.code");
      expect(await panes.count(), useCase.id).toBe(2);
      expect(await panes.nth(0).textContent()).toContain(methodLine("drizzle", useCase.id));
      expect(await panes.nth(1).textContent()).toContain(methodLine("prisma", useCase.id));
      expect(await section.locator(".pane.sql").count()).toBe(2 * useCase.endpoints.length);
      const sql = squeeze((await section.locator(".pane.sql").nth(0).textContent()) ?? "");
      expect(sql, `${useCase.id}: drizzle's SQL`).toContain(firstStatement("drizzle", useCase.endpoints[0] as string));
    }
    // Figures of both apps where a scenario exercises the use case.
    const figures = page.locator('section[data-usecase="listArticles"] table.figures tbody tr');
    expect(await figures.count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('section[data-usecase="schema"] .pane').count()).toBe(2);
    expect(await page.locator('section[data-usecase="migration"] .pane').count()).toBe(2);
    expect(await seriesOf('[data-chart="ratio"]')).toBe(2);
    // The README's picture: the pair chosen, the chart, the first use case's code side by side.
    await page.setViewportSize({ width: 1400, height: 1500 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(shots, "compare.png") });
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  it("compare: every app, paired with the next, has its own code and SQL in every use case", async () => {
    const names = apps.map((app) => app.manifest.name);
    for (const [index, left] of names.entries()) {
      const right = names[(index + 1) % names.length] as string;
      await open(`#/compare/${left}/${right}`);
      // Every pane's text at once: [use case, [code left, code right], first SQL pane left, right].
      const panes = await page.$$eval("section[data-usecase]", (sections) =>
        sections.map((section) => ({
          id: section.getAttribute("data-usecase"),
          code: [...section.querySelectorAll(".pane.code")].map((pane) => pane.textContent ?? ""),
          sql: [...section.querySelectorAll(".pane.sql")].slice(0, 2).map((pane) => pane.textContent ?? ""),
        })),
      );
      for (const useCase of useCases) {
        const shown = panes.find((each) => each.id === useCase.id);
        const where = `${left} | ${right}, ${useCase.id}`;
        expect(shown?.code[0], where).toContain(methodLine(left, useCase.id));
        expect(shown?.code[1], where).toContain(methodLine(right, useCase.id));
        const endpoint = useCase.endpoints[0] as string;
        expect(squeeze(shown?.sql[0] ?? ""), where).toContain(firstStatement(left, endpoint));
        expect(squeeze(shown?.sql[1] ?? ""), where).toContain(firstStatement(right, endpoint));
      }
    }
  });

  it("compare: the URL and the controls both switch the apps, and the panes follow", async () => {
    await open("#/compare/sqlalchemy/pg");
    const listArticles = page.locator('section[data-usecase="listArticles"]');
    expect(await listArticles.locator(".pane.code").nth(0).textContent()).toContain(
      methodLine("sqlalchemy", "listArticles"),
    );
    expect(await listArticles.locator(".pane.code").nth(1).textContent()).toContain(methodLine("pg", "listArticles"));
    expect(squeeze((await listArticles.locator(".pane.sql").nth(1).textContent()) ?? "")).toContain(
      firstStatement("pg", "GET /api/articles"),
    );
    // Apps of two languages: each over the Node baseline, still one series each.
    expect(await seriesOf('[data-chart="ratio"]')).toBe(2);

    await page.selectOption("#app-b", "kysely");
    await expect.poll(() => page.url()).toMatch(/#\/compare\/sqlalchemy\/kysely$/);
    // The page renders again once kysely's code and SQL are loaded.
    await page.waitForSelector('#page[data-ready] section[data-usecase="listArticles"] .pane.sql[data-app="kysely"]');
    await expect
      .poll(async () => listArticles.locator(".pane.code").nth(1).textContent())
      .toContain(methodLine("kysely", "listArticles"));
    expect(squeeze((await listArticles.locator(".pane.sql").nth(1).textContent()) ?? "")).toContain(
      firstStatement("kysely", "GET /api/articles"),
    );
    await page.click("#swap");
    await expect.poll(() => page.url()).toMatch(/#\/compare\/kysely\/sqlalchemy$/);
    await page.waitForSelector(
      '#page[data-ready] section[data-usecase="listArticles"] .pane.code[data-app="sqlalchemy"]:nth-child(2)',
    );
    expect(await page.locator("#app-a").inputValue()).toBe("kysely");

    // A link to a comparison reproduces it in a fresh page.
    const fresh = watched(await browser.newPage());
    await open("#/compare/tortoise/typeorm", fresh);
    expect(await fresh.locator("#app-a").inputValue()).toBe("tortoise");
    expect(await fresh.locator("#app-b").inputValue()).toBe("typeorm");
    expect(await fresh.locator('section[data-usecase="listFeed"] .pane.code').nth(0).textContent()).toContain(
      methodLine("tortoise", "listFeed"),
    );
    await fresh.close();
  });

  it("one page per app: facts, type probes, reliability, pitfalls, README", async () => {
    await open("#/apps");
    expect(await page.locator("#page table.figures tbody tr").count()).toBe(apps.length);
    for (const app of apps) {
      await open(`#/app/${app.manifest.name}`);
      expect(await page.locator("#page > h1").textContent()).toBe(app.manifest.title);
      expect(await page.locator("#probes tr").count()).toBe(6);
      expect(await page.locator(".readme").textContent()).toContain(`apps/${app.manifest.name}`);
    }
    await open("#/app/drizzle");
    // Drizzle beside pg, its baseline: two series.
    expect(await seriesOf('#app-ratio [data-chart="ratio"]')).toBe(2);
    await page.screenshot({ path: join(shots, "app.png") });
  });

  it("migrations: each tool's output and the hand fix as a diff", async () => {
    await open("#/migrations");
    expect(await page.locator("section.migration").count()).toBe(apps.length);
    // drizzle-kit's ADD COLUMN ... NOT NULL was fixed by hand: the diff shows added lines.
    const drizzle = page.locator('section.migration[data-app="drizzle"]');
    const diff = (await drizzle.locator("pre.shiki").first().textContent()) ?? "";
    expect(diff).toMatch(/^\+.*UPDATE/m);
    await page.screenshot({ path: join(shots, "migrations.png") });
  });

  it("`npm run site -- --serve` serves dist/ on 127.0.0.1 and nothing outside it", async () => {
    const { serve } = await import("../src/build/main.js");
    const server = serve(0);
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const index = await fetch(`http://127.0.0.1:${port}/`);
      expect(index.status).toBe(200);
      expect(await index.text()).toContain('<script defer src="./assets/');
      const drizzle = readdirSync(join(packageDir, "dist", "data")).find((file) => file.startsWith("drizzle."));
      expect((await fetch(`http://127.0.0.1:${port}/data/${drizzle}`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/..%2F..%2F..%2Fpackage.json`)).status).toBe(404);
    } finally {
      server.close();
    }
  });

  it("loaded with no console error, no failed request and nothing from off the disk", () => {
    expect(problems).toEqual([]);
  });
});
