import { hashPassword } from "@arena/api";
import { type Dataset, generateDataset, seedDatabase } from "@arena/bench";
import { createFreshDatabase, type DatabaseWorkDiff, measureDatabaseWork, runSql } from "@arena/database";
import type { DiscoveredApp } from "@arena/manifest";
import { COUNTING_TIMEOUTS, statementServerUrl } from "@arena/testkit";
import { profileSqlPerEndpoint, type StatementCounter } from "@arena/testkit/contract-suite";
import { appUnderTest } from "./endpoint-work.js";

/** What one request of the SQL profile cost the database, statement by statement. */
export interface EndpointWork {
  endpoint: string;
  status: number;
  work: DatabaseWorkDiff;
}

/** The seeded data set the profile runs on, and how deep its deep page reads. */
export interface SeededDataset {
  scale: number;
  data: Dataset;
  passwordHash: string;
  deepPageOffset: number;
}

/**
 * The bench's data set at `scale`. The deep page is #19's: offset 15,890 of 20,000 articles at
 * scale 1, the same fraction at other scales, so a page that pays for skipped rows shows it.
 */
export async function seededDataset(scale: number): Promise<SeededDataset> {
  const data = generateDataset(scale);
  return {
    scale,
    data,
    passwordHash: await hashPassword("password123"),
    deepPageOffset: Math.round(data.articles.length * (15_890 / 20_000)),
  };
}

const JWT_SECRET = "sql-report";

/**
 * The database work of every request of the SQL profile (sql-counts' requests, plus the deep page)
 * for one app, on a fresh database migrated by the app's own tool and seeded with `dataset`.
 * PostgreSQL's pg_stat_statements does the accounting, whether the app runs in this process (a
 * TypeScript app) or as its own process from its manifest's commands (any other language), so
 * every app is measured the same way.
 */
export async function databaseWorkProfileOf(
  app: DiscoveredApp,
  dataset: SeededDataset,
): Promise<{ server: string; endpoints: EndpointWork[] }> {
  const subject = await appUnderTest(app);
  const database = await createFreshDatabase({
    prefix: `${app.manifest.name}_sqlwork`,
    env: { DATABASE_URL: await statementServerUrl() },
  });
  try {
    await subject.migrate(database.url);
    await seedDatabase(database.url, dataset.data, dataset.passwordHash, { reset: true });
    // Planner statistics as a database that has served for a while has them.
    await runSql(database.url, "VACUUM ANALYZE");
    const [version] = await runSql<{ server_version: string }>(database.url, "SHOW server_version");
    const served = await subject.serve(database.url, JWT_SECRET, COUNTING_TIMEOUTS);
    try {
      const measured: DatabaseWorkDiff[] = [];
      const count: StatementCounter = async (work) => {
        const { result, statements, total } = await measureDatabaseWork(database.url, work);
        measured.push({ statements, total });
        return { result, count: total.statements, statements: statements.map((row) => row.query) };
      };
      const profile = await profileSqlPerEndpoint(served, count, { deepPageOffset: dataset.deepPageOffset });
      return {
        server: `PostgreSQL ${version?.server_version ?? "unknown"}`,
        endpoints: profile.map((row, i) => {
          const work = measured[i];
          if (!work) throw new Error(`${app.manifest.name}: no database work measured for ${row.endpoint}`);
          return { endpoint: row.endpoint, status: row.status, work };
        }),
      };
    } finally {
      await served.close();
    }
  } finally {
    await database.drop();
  }
}
