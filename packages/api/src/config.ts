import { DEVELOPMENT_JWT_SECRET } from "@arena/contract";
import { POOL_DEFAULTS } from "./store.js";

/** The settings every app reads from its environment, with the same names and defaults. */
export interface AppConfig {
  /** PostgreSQL to serve from; when unset, an embedded PostgreSQL is started and migrated. */
  databaseUrl: string | undefined;
  port: number;
  jwtSecret: string;
  /** Connections of this process's pool; with workers, each worker has its own pool of this size. */
  poolMax: number;
  /** PostgreSQL `statement_timeout` of every pooled connection, in ms (PG_STATEMENT_TIMEOUT_MS). */
  statementTimeoutMs: number;
  /** Longest wait for a database connection before a request fails with 503, in ms (PG_CONNECTION_TIMEOUT_MS). */
  connectionTimeoutMs: number;
  /** Processes serving the port (node:cluster when more than 1): total connections = workers × poolMax. */
  workers: number;
  production: boolean;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const production = env.NODE_ENV === "production";
  if (production && !env.JWT_SECRET) {
    throw new Error("JWT_SECRET is required when NODE_ENV=production");
  }
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    port: positiveInteger(env, "PORT", 3000),
    jwtSecret: env.JWT_SECRET || DEVELOPMENT_JWT_SECRET,
    poolMax: positiveInteger(env, "PG_POOL_MAX", 10),
    statementTimeoutMs: positiveInteger(env, "PG_STATEMENT_TIMEOUT_MS", POOL_DEFAULTS.statementTimeoutMs),
    connectionTimeoutMs: positiveInteger(env, "PG_CONNECTION_TIMEOUT_MS", POOL_DEFAULTS.connectionTimeoutMs),
    workers: atLeastOne(env, "WORKERS", 1),
    production,
  };
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
}

function atLeastOne(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = positiveInteger(env, name, fallback);
  if (value < 1) throw new Error(`${name} must be at least 1, got "${env[name]}"`);
  return value;
}
