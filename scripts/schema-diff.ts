/**
 * Migrates a fresh database with each app's own migrations and compares its schema with the pg
 * baseline's. Names of constraints and indexes are reported, not counted as differences.
 *
 *   npm run schema-diff -- drizzle        # one app against pg
 *   npm run schema-diff                   # every app
 */
import { compareSchemas } from "@arena/database";
import { discoverApps } from "./lib/apps.js";
import { migratedSchema } from "./lib/databases.js";

const names = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
const [pg] = await discoverApps(["pg"]);
if (!pg) throw new Error("no pg app");
const baseline = await migratedSchema(pg);
let failed = false;
for (const app of (await discoverApps(names)).filter((app) => app !== pg && app.manifest.name !== "pg")) {
  const name = app.manifest.name;
  const { differences, renamed } = compareSchemas(baseline, await migratedSchema(app));
  console.log(`\n${name}: ${differences.length === 0 ? "same schema as pg" : `${differences.length} difference(s)`}`);
  for (const line of differences) console.log(`  ✗ ${line}`);
  for (const line of renamed) console.log(`  ~ ${line}`);
  failed ||= differences.length > 0;
}
process.exit(failed ? 1 : 0);
