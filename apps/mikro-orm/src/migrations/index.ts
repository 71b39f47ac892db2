import type { MigrationObject } from "@mikro-orm/core";
import { Migration20261123210425 } from "./Migration20261123210425.js";
import { Migration20261123231801_v2 } from "./Migration20261123231801_v2.js";

/**
 * Every migration, oldest first. The migrator takes them from this list rather than from a file
 * glob: the same imports load the TypeScript sources under vitest and tsx and the compiled
 * JavaScript in `dist/`. `npm run generate` writes a new class; add it at the end.
 */
export const migrationsList: MigrationObject[] = [
  { name: "Migration20261123210425", class: Migration20261123210425 },
  { name: "Migration20261123231801_v2", class: Migration20261123231801_v2 },
];
