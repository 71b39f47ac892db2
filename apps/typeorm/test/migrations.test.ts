import { createFreshDatabase, describeSchema, type FreshDatabase } from "@arena/database";
import type { DataSource } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataSource } from "../src/db.js";
import { migrate } from "../src/migrate.js";

/** TypeORM's bookkeeping, which survives a full rollback. */
const BOOKKEEPING = { exclude: ["typeorm_migrations"] };

describe("migrations", () => {
  let database: FreshDatabase;
  let dataSource: DataSource;
  beforeAll(async () => {
    database = await createFreshDatabase({ prefix: "typeorm_migrations" });
    await migrate(database.url);
    dataSource = await createDataSource({ databaseUrl: database.url, poolMax: 1 }).initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it("leave nothing for migration:generate to add: the entities and the migrations agree", async () => {
    // What `migration:generate` would write: the SQL that brings the database to the entities.
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it("roll back one by one to an empty schema with their down(), and re-apply to the same schema", async () => {
    const migrated = await describeSchema(database.url, BOOKKEEPING);
    for (const _ of dataSource.migrations) await dataSource.undoLastMigration();
    expect(await dataSource.showMigrations()).toBe(true);
    expect(await describeSchema(database.url, BOOKKEEPING)).toEqual({ tables: {} });

    const reapplied = await dataSource.runMigrations();
    expect(reapplied.map((migration) => migration.name)).toEqual(dataSource.migrations.map((m) => m.name));
    expect(await describeSchema(database.url, BOOKKEEPING)).toEqual(migrated);
  });
});
