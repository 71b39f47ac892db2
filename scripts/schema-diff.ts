/**
 * Migrates a fresh database with each app's own migrations and compares its schema with the
 * baseline's (the app whose manifest says `"baseline": true`). Names of constraints and indexes are reported, not counted as differences.
 *
 *   npm run schema-diff -- drizzle        # one app against the baseline
 *   npm run schema-diff                   # every app
 */
import { compareSchemas } from "@arena/database";
import { discoverApps, findBaseline } from "./lib/apps.js";
import { migratedSchema } from "./lib/databases.js";

const names = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
const baselineApp = await findBaseline();
const baseline = await migratedSchema(baselineApp);
let failed = false;
for (const app of (await discoverApps(names)).filter((app) => app.manifest.name !== baselineApp.manifest.name)) {
  const name = app.manifest.name;
  const { differences, renamed } = compareSchemas(baseline, await migratedSchema(app));
  console.log(
    `\n${name}: ${differences.length === 0 ? `same schema as ${baselineApp.manifest.name}` : `${differences.length} difference(s)`}`,
  );
  for (const line of differences) console.log(`  ✗ ${line}`);
  for (const line of renamed) console.log(`  ~ ${line}`);
  failed ||= differences.length > 0;
}
process.exit(failed ? 1 : 0);
