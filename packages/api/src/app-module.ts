import type { DatabaseErrorShape } from "./database-errors.js";
import type { CreateStore } from "./store.js";

/**
 * The named schema versions every app's migrations reach (docs/migrations.md): `v1` is the first
 * canonical schema, `v2` the evolution of #9 (articles.body renamed content, reading_minutes,
 * emails unique regardless of case). The store code always targets the latest.
 */
export type SchemaVersion = "v1" | "v2";

export interface AppModule {
  /** The app's name, as in its manifest (`arena.json`). */
  name: string;
  createStore: CreateStore;
  /**
   * How the app's ORM wraps and names database failures (`src/database-errors.ts`), so that they
   * are a 503; absent when the shared recognition of node-postgres errors sees through it.
   */
  databaseErrors?: DatabaseErrorShape;
  /**
   * Applies the app's migrations with its own migration tool: all of them, or, with `to`, those up
   * to and including the last one of that schema version (the upgrade test starts from `v1`).
   */
  migrate(databaseUrl: string, options?: { to?: SchemaVersion }): Promise<void>;
  /**
   * Reverts migrations with the tool's down migrations until the database is at schema version
   * `to`. Absent when the tool has no down migrations (the migration report says so).
   */
  rollback?(databaseUrl: string, options: { to: SchemaVersion }): Promise<void>;
}
