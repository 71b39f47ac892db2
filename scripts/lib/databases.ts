import { type AppModule, createConduitApp, type SchemaVersion } from "@arena/api";
import { countQueries, createFreshDatabase, describeSchema, type SchemaSnapshot } from "@arena/database";
import { type EndpointProfile, inProcessTarget, profileSqlPerEndpoint } from "@arena/testkit/contract-suite";
import { type DiscoveredApp, loadAppModule, loadMigrate } from "./apps.js";

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
 * fresh database, counted by the database kit's node-postgres counter.
 */
export async function sqlProfileOf(app: DiscoveredApp): Promise<{ module: AppModule; profile: EndpointProfile[] }> {
  const module = await loadAppModule(app);
  const database = await createFreshDatabase({ prefix: `${module.name}_sqlcount` });
  try {
    await module.migrate(database.url);
    const store = await module.createStore({ databaseUrl: database.url, poolMax: 10 });
    try {
      const target = inProcessTarget(
        createConduitApp({
          store,
          jwtSecret: "sql-counts",
          ...(module.databaseErrors ? { databaseErrors: module.databaseErrors } : {}),
        }),
        { jwtSecret: "sql-counts" },
      );
      return { module, profile: await profileSqlPerEndpoint(target, countQueries) };
    } finally {
      await store.close();
    }
  } finally {
    await database.drop();
  }
}
