import type { Language } from "@arena/manifest";
import { statementServerUrl, stopStatementServer } from "@arena/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscoveredApp, discoverApps } from "../lib/apps.js";
import { BUFFER_LIMIT, type GuardVerdict, guardTable, guardVerdicts } from "../lib/buffer-guard.js";
import {
  type EndpointWork,
  measureEndpointWork,
  missingRuntime,
  type WorkFixture,
  workFixture,
} from "../lib/endpoint-work.js";

// The buffer guard (#19): on the bench's data set at a small scale (3,000 articles, a deep page),
// every app's list endpoints, feed and single-article read touch at most 1.5x the shared buffers of
// its language's baseline, or its arena.json declares the query shape its ORM cannot avoid, with
// the figure. Buffers from pg_stat_statements are deterministic, unlike time; TypeScript apps run
// in-process, any other language as a process from its manifest's commands.

const apps = await discoverApps();
const languages = [...new Set(apps.map((app) => app.manifest.language))];
let serverUrl: string;
let fixture: WorkFixture;
const verdicts: Record<string, GuardVerdict[]> = {};

beforeAll(async () => {
  serverUrl = await statementServerUrl();
  fixture = await workFixture();
});
afterAll(async () => {
  const table = guardTable(verdicts, "baseline");
  console.log(
    `Buffer guard: shared buffers per request against the language's baseline (limit ${BUFFER_LIMIT}x)\n\n${table}`,
  );
  await stopStatementServer();
});

describe.each(languages)("buffer guard: %s apps", (language: Language) => {
  const ofLanguage = apps.filter((app) => app.manifest.language === language);
  const baseline = ofLanguage.find((app) => app.manifest.baseline);
  // Measured once, by whichever test asks first, so `-t <app>` alone still has its baseline. The
  // timeouts are a safety net, not a speed check: the first test may also build a Python app's
  // .venv while turbo builds the others, on two loaded cores (a fresh clone once took over 120 s).
  let baselineWork: Promise<EndpointWork[]> | undefined;
  const measureBaseline = (app: DiscoveredApp) => {
    baselineWork ??= measureEndpointWork(app, serverUrl, fixture);
    return baselineWork;
  };

  it(`has a baseline (${baseline?.manifest.name ?? "none"})`, async (context) => {
    expect(baseline, `no ${language} app has "baseline": true`).toBeDefined();
    const app = baseline as DiscoveredApp;
    const skipped = missingRuntime(app);
    if (skipped) {
      console.log(`buffer guard: ${language} apps not measured: ${skipped}`);
      context.skip(skipped);
    }
    const work = await measureBaseline(app);
    verdicts[app.manifest.name] = guardVerdicts(app.manifest, work, work, fixture.endpoints);
  }, 300_000);

  for (const app of ofLanguage.filter((each) => !each.manifest.baseline)) {
    it(`${app.manifest.name} touches at most ${BUFFER_LIMIT}x the baseline's buffers, or declares why`, async (context) => {
      const skipped = (baseline && missingRuntime(baseline)) ?? missingRuntime(app);
      if (skipped) {
        console.log(`buffer guard: ${app.manifest.name} not measured: ${skipped}`);
        context.skip(skipped);
      }
      if (!baseline) throw new Error(`no ${language} baseline`);
      const ofBaseline = await measureBaseline(baseline);
      const work = await measureEndpointWork(app, serverUrl, fixture);
      const rows = guardVerdicts(app.manifest, work, ofBaseline, fixture.endpoints);
      verdicts[app.manifest.name] = rows;
      const over = rows.filter((row) => !row.pass);
      expect(
        over.map(
          (row) => `${row.endpoint}: ${row.buffers.toFixed(0)} buffers, ${row.ratio.toFixed(2)}x (limit ${row.limit})`,
        ),
        `${app.manifest.name}: over the limit; tune the query, or declare the shape in arena.json declaredGaps with buffersRatio`,
      ).toEqual([]);
    }, 300_000);
  }
});
