import type { Migration, MigrationProvider } from "kysely";
import * as canonicalSchema from "./1732406400000_canonical-schema.js";
import * as v2ContentReadingMinutesEmailLower from "./1764028800000_v2-content-reading-minutes-email-lower.js";

/**
 * Every migration, by name; Kysely applies them in name order. They are imported statically
 * instead of read from this folder by `FileMigrationProvider`, whose `import()` of a `.ts` file
 * happens inside Kysely, where vitest cannot transform it (Node 20 cannot run TypeScript).
 * A new migration file gets one line here.
 */
const MIGRATIONS: Record<string, Migration> = {
  "1732406400000_canonical-schema": canonicalSchema,
  "1764028800000_v2-content-reading-minutes-email-lower": v2ContentReadingMinutesEmailLower,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
