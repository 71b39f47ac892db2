import { createFreshDatabase, describeSchema, type FreshDatabase } from "@arena/database";
import type { MigrationResultSet } from "kysely/migration";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "../src/db.js";
import { createMigrator } from "../src/migrate.js";

/** Kysely's bookkeeping, which survives a full rollback. */
const BOOKKEEPING = { exclude: ["kysely_migration", "kysely_migration_lock"] };

/** The Migrator reports a failed migration in its result instead of throwing. */
function succeeded({ error, results }: MigrationResultSet) {
  if (error) throw error;
  return results ?? [];
}

describe("migrations", () => {
  let database: FreshDatabase;
  beforeAll(async () => {
    database = await createFreshDatabase({ prefix: "kysely_migrations" });
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("roll back one by one to an empty schema, and re-apply to the same schema", async () => {
    const db = createDatabase({ databaseUrl: database.url, poolMax: 1 });
    try {
      const migrator = createMigrator(db);
      const applied = succeeded(await migrator.migrateToLatest());
      expect(applied.length).toBeGreaterThan(0);
      const migrated = await describeSchema(database.url, BOOKKEEPING);

      // migrateDown undoes the newest applied migration; it answers no result when none is left.
      const undone: string[] = [];
      for (let step = succeeded(await migrator.migrateDown()); step.length > 0; ) {
        for (const result of step) {
          expect(result).toMatchObject({ direction: "Down", status: "Success" });
          undone.push(result.migrationName);
        }
        step = succeeded(await migrator.migrateDown());
      }
      expect(undone).toEqual(applied.map((result) => result.migrationName).reverse());
      expect(await describeSchema(database.url, BOOKKEEPING)).toEqual({ tables: {} });

      succeeded(await migrator.migrateToLatest());
      expect(await describeSchema(database.url, BOOKKEEPING)).toEqual(migrated);
    } finally {
      await db.destroy();
    }
  });
});
