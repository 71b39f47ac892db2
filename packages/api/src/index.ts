export { type ConduitAppOptions, createConduitApp, DEFAULT_MAX_BODY_BYTES } from "./app.js";
export type { AppModule, SchemaVersion } from "./app-module.js";
export { createTokenService, type TokenService } from "./auth.js";
export { type AppConfig, readConfig } from "./config.js";
export {
  type DatabaseErrorShape,
  type DatabaseFailure,
  databaseFailure,
  type ErrorLink,
  failureOfCode,
} from "./database-errors.js";
export { createNodePostgresPool } from "./node-postgres-pool.js";
export { hashPassword, PASSWORD_COST, TEST_PASSWORD_COST, verifyPassword } from "./password.js";
export { READING_MINUTES_SQL, readingMinutes, WORDS_PER_MINUTE } from "./reading-time.js";
export { runServer } from "./server.js";
export { slugify } from "./slug.js";
export * from "./store.js";
