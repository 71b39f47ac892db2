export {
  addWork,
  type DatabaseWork,
  type DatabaseWorkDiff,
  type DatabaseWorkSnapshot,
  databaseNameOf,
  diffDatabaseWork,
  hasStatementAccounting,
  type MeasuredDatabaseWork,
  measureDatabaseWork,
  STATEMENT_ACCOUNTING_SETTINGS,
  type StatementWork,
  snapshotDatabaseWork,
  totalWork,
  workPerRequest,
} from "./database-work.js";
export { type EmbeddedServer, findFreePort, startEmbeddedServer } from "./embedded.js";
export {
  configureEmbeddedServer,
  createFreshDatabase,
  databaseServerUrl,
  type FreshDatabase,
  runSql,
  stopEmbeddedServer,
  withDatabaseName,
} from "./fresh-database.js";
export { countQueries, installQueryCounter, type QueryCount, statementTotal } from "./query-counter.js";
export {
  compareSchemas,
  describeSchema,
  type SchemaSnapshot,
  type TableSnapshot,
} from "./schema.js";
export { vitestDatabaseSetup } from "./vitest-setup.js";
