import { compareSchemas } from "@arena/database";
import { describe, expect, it } from "vitest";
import { baselineOf, discoverApps } from "../lib/apps.js";
import { migratedSchema } from "../lib/databases.js";

/**
 * Schema parity (issue #9): each app's own migrations, run on a fresh database, must build the
 * baseline's schema at v1 and at v2. Constraint and index names may differ (reported on the
 * console, never failed); anything else fails with the app, table and column in the message.
 */
const apps = await discoverApps();

describe.each(["v1", "v2"] as const)("schema parity at %s with the baseline", (version) => {
  const baseline = baselineOf(apps);
  const baselineSchema = migratedSchema(baseline, version);

  it.each(apps.filter((app) => app !== baseline).map((app) => [app.manifest.name, app] as const))(
    "%s builds the same schema",
    async (name, app) => {
      const { differences, renamed } = compareSchemas(await baselineSchema, await migratedSchema(app, version));
      if (renamed.length > 0) console.log(`${name} at ${version}, named differently:\n  ${renamed.join("\n  ")}`);
      expect(
        differences,
        `${name} at ${version} differs from ${baseline.manifest.name}:\n  ${differences.join("\n  ")}`,
      ).toEqual([]);
    },
    120_000,
  );
});
