import { spawnSync } from "node:child_process";
import { hashPassword } from "@arena/api";
import { BENCH_JWT_SECRET, benchToken, type Dataset, generateDataset, seedDatabase } from "@arena/bench";
import {
  createFreshDatabase,
  type DatabaseWork,
  measureDatabaseWork,
  runSql,
  type StatementWork,
  workPerRequest,
} from "@arena/database";
import { type AppUnderTest, COUNTING_TIMEOUTS, inProcessApp, manifestApp } from "@arena/testkit";
import { findPython } from "../python/python.mjs";
import { buildEnvironment, type DiscoveredApp, loadAppModule } from "./apps.js";

/**
 * Database work per request of each read endpoint, on the bench's data set at a small scale:
 * what `npm run sql-counts` reports and the buffer guard of `npm test` checks. Every app gets a
 * fresh database migrated by its own tool and seeded with the same rows; each endpoint is sent
 * unmeasured first (each pooled connection's caches, the ORM's first-use work) and then measured
 * over a few identical requests from pg_stat_statements, so any language's app is measured alike.
 *
 * These figures compare query shapes, so every statement is planned for its own values
 * (`plan_cache_mode = force_custom_plan` on the measured database): an app that prepares its
 * statements would otherwise switch to PostgreSQL's generic plan from a statement's sixth
 * execution on a connection, and its figures would depend on how often the statement ran before
 * (the baseline's ?author= page: 333 buffers planned for the author, 248 generic). The bench
 * measures apps as they run, generic plans included.
 */

/** The data set's scale: 3,000 articles, 6,000 favorites: a bad shape shows, seeding takes a second. */
export const WORK_SCALE = 0.15;

/** Identical requests measured per endpoint; the figures are per request. */
const MEASURED_REQUESTS = 3;

/** Unmeasured requests before, per endpoint. */
const WARM_UP_REQUESTS = 2;

/** One read request of the measured set. */
export interface WorkEndpoint {
  /** e.g. `GET /api/articles?tag=`, as `declaredGaps` name endpoints. */
  endpoint: string;
  path: string;
  /** The signed-in user, if any. */
  userId?: number;
  /** Checked by the buffer guard (the list endpoints and the single-article read). */
  guarded: boolean;
}

/** An endpoint's database work per request in one app. */
export interface EndpointWork {
  endpoint: string;
  path: string;
  work: DatabaseWork;
  /** Each statement's work per request (normalised SQL, parameters as $1...). */
  statements: StatementWork[];
}

/** The most frequent value of `values` (the first one among equals). */
function mostFrequent(values: number[]): number {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: [number, number] | undefined;
  for (const entry of counts) if (!best || entry[1] > best[1]) best = entry;
  if (!best) throw new Error("the data set is empty");
  return best[0];
}

/**
 * The measured requests, chosen from the data set so that each does real work: the most used tag,
 * the most prolific author, the reader with the most favorites and follows, a page three quarters
 * deep, the most popular article.
 */
export function workEndpoints(data: Dataset): WorkEndpoint[] {
  const tag = data.tags.find((t) => t.id === mostFrequent(data.articleTags.map((row) => row.tagId)));
  const author = data.users.find((u) => u.id === mostFrequent(data.articles.map((a) => a.authorId)));
  const favoriter = data.users.find((u) => u.id === mostFrequent(data.favorites.map((f) => f.userId)));
  const reader = mostFrequent(data.follows.map((f) => f.followerId));
  const article = data.articles.at(-1);
  if (!tag || !author || !favoriter || !article) throw new Error("the data set is empty");
  const deep = Math.floor(data.articles.length * 0.75);
  return [
    { endpoint: "GET /api/articles", path: "/api/articles", guarded: true },
    { endpoint: "GET /api/articles?tag=", path: `/api/articles?tag=${tag.name}`, userId: reader, guarded: true },
    {
      endpoint: "GET /api/articles?author=",
      path: `/api/articles?author=${author.username}`,
      userId: reader,
      guarded: true,
    },
    {
      endpoint: "GET /api/articles?favorited=",
      path: `/api/articles?favorited=${favoriter.username}`,
      userId: reader,
      guarded: true,
    },
    { endpoint: "GET /api/articles?offset= (deep)", path: `/api/articles?limit=20&offset=${deep}`, guarded: true },
    { endpoint: "GET /api/articles/feed", path: "/api/articles/feed", userId: reader, guarded: true },
    { endpoint: "GET /api/articles/:slug", path: `/api/articles/${article.slug}`, userId: reader, guarded: true },
    {
      endpoint: "GET /api/articles/:slug/comments",
      path: `/api/articles/${article.slug}/comments`,
      userId: reader,
      guarded: false,
    },
    {
      endpoint: "GET /api/profiles/:username",
      path: `/api/profiles/${author.username}`,
      userId: reader,
      guarded: false,
    },
    { endpoint: "GET /api/tags", path: "/api/tags", guarded: false },
  ];
}

/** The data set, its password hash and the requests: the same for every app of a run. */
export interface WorkFixture {
  data: Dataset;
  passwordHash: string;
  endpoints: WorkEndpoint[];
}

export async function workFixture(scale = WORK_SCALE): Promise<WorkFixture> {
  const data = generateDataset(scale);
  return { data, passwordHash: await hashPassword("password123"), endpoints: workEndpoints(data) };
}

/**
 * Why an app cannot be measured on this machine, or null: an app of another language needs the
 * program its manifest's commands start with (python, uv...).
 */
export function missingRuntime(app: DiscoveredApp): string | null {
  if (app.manifest.language === "typescript") return null;
  // Its environment first (a Python app's .venv, at once when up to date): a tool may run before
  // turbo built the app; without the language's runtime the build says so and builds nothing.
  buildEnvironment(app);
  const program = app.manifest.commands.startFromSource.trim().split(/\s+/)[0] ?? "";
  const found = spawnSync("sh", ["-c", `command -v ${JSON.stringify(program)}`], { cwd: app.dir });
  if (found.status === 0) return null;
  // The build skips a Python app, saying why, when the machine has no usable Python: say it here too.
  const why = app.manifest.language === "python" ? findPython().reason : undefined;
  return `${app.manifest.name}: "${program}" (the first word of its startFromSource command) is not installed here${why ? `: ${why}` : ""}`;
}

/**
 * A TypeScript app in this process; any other language as a process from its manifest's commands.
 * The manifest's `prepareSource` runs first (a generated client the source imports); an app in
 * another language gets its environment built first (a Python app's .venv: at once when up to date),
 * since a tool may run before turbo has built that app.
 */
export async function appUnderTest(app: DiscoveredApp): Promise<AppUnderTest> {
  if (app.manifest.language !== "typescript") buildEnvironment(app);
  const prepare = app.manifest.commands.prepareSource;
  if (prepare) {
    const prepared = spawnSync("sh", ["-c", prepare], { cwd: app.dir, encoding: "utf8" });
    if (prepared.status !== 0) {
      throw new Error(`${app.manifest.name}: \`${prepare}\` failed\n${prepared.stdout}${prepared.stderr}`);
    }
  }
  return app.manifest.language === "typescript" ? inProcessApp(await loadAppModule(app)) : manifestApp(app);
}

/**
 * Every endpoint's database work per request in one app, on a fresh database of the server at
 * `serverUrl` (which must have pg_stat_statements) migrated by the app's own tool and seeded.
 */
export async function measureEndpointWork(
  app: DiscoveredApp,
  serverUrl: string,
  fixture: WorkFixture,
): Promise<EndpointWork[]> {
  const subject = await appUnderTest(app);
  const database = await createFreshDatabase({ prefix: `${app.manifest.name}_work`, env: { DATABASE_URL: serverUrl } });
  try {
    await subject.migrate(database.url);
    await seedDatabase(database.url, fixture.data, fixture.passwordHash);
    // Before the app connects: a database's settings apply to the sessions opened after them.
    await runSql(database.url, `ALTER DATABASE "${database.name}" SET plan_cache_mode = force_custom_plan`);
    const served = await subject.serve(database.url, BENCH_JWT_SECRET, COUNTING_TIMEOUTS);
    try {
      const rows: EndpointWork[] = [];
      for (const endpoint of fixture.endpoints) {
        const send = async () => {
          const response = await served.request(endpoint.path, {
            headers: endpoint.userId ? { Authorization: `Token ${benchToken(endpoint.userId)}` } : {},
          });
          await response.arrayBuffer();
          if (response.status !== 200) {
            throw new Error(
              `${app.manifest.name} ${endpoint.path} answered ${response.status}; only successes are measured`,
            );
          }
        };
        for (let i = 0; i < WARM_UP_REQUESTS; i++) await send();
        const measured = await measureDatabaseWork(database.url, async () => {
          for (let i = 0; i < MEASURED_REQUESTS; i++) await send();
        });
        rows.push({
          endpoint: endpoint.endpoint,
          path: endpoint.path,
          work: workPerRequest(measured.total, MEASURED_REQUESTS),
          statements: measured.statements.map(({ query, ...work }) => {
            const each = workPerRequest({ statements: work.calls, ...work }, MEASURED_REQUESTS);
            return {
              query,
              calls: each.statements,
              rows: each.rows,
              sharedBlksHit: each.sharedBlksHit,
              sharedBlksRead: each.sharedBlksRead,
              execMs: each.execMs,
            };
          }),
        });
      }
      return rows;
    } finally {
      await served.close();
    }
  } finally {
    await database.drop();
  }
}

/** Shared buffers a request touched: hit plus read (where a page came from is the cache's business). */
export const buffersOf = (work: DatabaseWork): number => work.sharedBlksHit + work.sharedBlksRead;

/** A Markdown table of database work per request, one column per app. */
export function databaseWorkTable(works: Record<string, EndpointWork[]>): string {
  const apps = Object.keys(works);
  const endpoints = works[apps[0] ?? ""]?.map((row) => row.endpoint) ?? [];
  const figure = (value: number, digits: number) => (Number.isInteger(value) ? String(value) : value.toFixed(digits));
  const lines = [`| Endpoint | ${apps.join(" | ")} |`, `| --- | ${apps.map(() => "---:").join(" | ")} |`];
  for (const endpoint of endpoints) {
    const cells = apps.map((app) => {
      const work = works[app]?.find((row) => row.endpoint === endpoint)?.work;
      return work
        ? `${figure(work.statements, 1)} · ${figure(work.rows, 1)} · ${figure(work.sharedBlksHit, 0)} / ${figure(work.sharedBlksRead, 0)} · ${work.execMs.toFixed(2)}`
        : "–";
    });
    lines.push(`| \`${endpoint}\` | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}
