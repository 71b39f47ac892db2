/**
 * Migrates a fresh database with each app's own migrations and compares its schema with the pg
 * baseline's. Names of constraints and indexes are reported, not counted as differences.
 *
 *   npm run schema-diff -- drizzle        # one app against pg
 *   npm run schema-diff                   # every app
 */
import {
  BOOKKEEPING_TABLES,
  compareSchemas,
  createFreshDatabase,
  describeSchema,
  type SchemaSnapshot,
} from "@arena/database";
import { discoverApps, loadAppModule } from "./lib/apps.js";

async function snapshot(name: string): Promise<SchemaSnapshot> {
  const [app] = await discoverApps([name]);
  if (!app) throw new Error(`no app ${name}`);
  const module = await loadAppModule(app);
  const database = await createFreshDatabase({ prefix: `${name}_schema` });
  try {
    await module.migrate(database.url);
    return await describeSchema(database.url, { exclude: BOOKKEEPING_TABLES });
  } finally {
    await database.drop();
  }
}

const names = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
const apps = (await discoverApps(names)).map((app) => app.manifest.name).filter((name) => name !== "pg");
const baseline = await snapshot("pg");
let failed = false;
for (const name of apps) {
  const { differences, renamed } = compareSchemas(baseline, await snapshot(name));
  console.log(`\n${name}: ${differences.length === 0 ? "same schema as pg" : `${differences.length} difference(s)`}`);
  for (const line of differences) console.log(`  ✗ ${line}`);
  for (const line of renamed) console.log(`  ~ ${line}`);
  failed ||= differences.length > 0;
}
process.exit(failed ? 1 : 0);
