import type { SchemaVersion } from "@arena/api";
import { createFreshDatabase, describeSchema, type SchemaSnapshot } from "@arena/database";
import { COUNTING_TIMEOUTS } from "@arena/testkit";
import { type EndpointProfile, profileSqlPerEndpoint } from "@arena/testkit/contract-suite";
import { type DiscoveredApp, loadMigrate } from "./apps.js";
import { appUnderTest } from "./endpoint-work.js";

/** The schema an app's own migrations build on a fresh database (its migration tool's history tables left out). */
export async function migratedSchema(app: DiscoveredApp, to?: SchemaVersion): Promise<SchemaSnapshot> {
  const migrate = await loadMigrate(app);
  const database = await createFreshDatabase({ prefix: `${app.manifest.name}_schema` });
  try {
    await migrate(database.url, to ? { to } : {});
    return await describeSchema(database.url, { exclude: app.manifest.migrations.historyTables });
  } finally {
    await database.drop();
  }
}

/**
 * The SQL statements each endpoint runs in one app: the same requests as every other app, on a
 * fresh database (of `serverUrl`, default the shared one), counted by the app's statement counter:
 * the database kit's node-postgres counter in-process, pg_stat_statements for an app of another
 * language run from its manifest (the server must then have it loaded).
 */
export async function sqlProfileOf(app: DiscoveredApp, serverUrl?: string): Promise<EndpointProfile[]> {
  const subject = await appUnderTest(app);
  const database = await createFreshDatabase({
    prefix: `${app.manifest.name}_sqlcount`,
    ...(serverUrl ? { env: { DATABASE_URL: serverUrl } } : {}),
  });
  try {
    await subject.migrate(database.url);
    const served = await subject.serve(database.url, "sql-counts", COUNTING_TIMEOUTS);
    try {
      return await profileSqlPerEndpoint(served, subject.statementCounter(database.url));
    } finally {
      await served.close();
    }
  } finally {
    await database.drop();
  }
}
