import { hasStatementAccounting, STATEMENT_ACCOUNTING_SETTINGS } from "./database-work.js";
import { type EmbeddedServer, startEmbeddedServer } from "./embedded.js";

/**
 * A vitest `globalSetup` body: when DATABASE_URL is unset, start ONE embedded PostgreSQL for the
 * whole test run and hand its URL to the test workers through DATABASE_URL, so each test file
 * creates its own fresh database on it instead of starting a server per worker. It loads
 * pg_stat_statements, so tests that measure database work (the by-URL N+1 guard, the buffer guard,
 * the quick bench) use it too.
 */
export async function vitestDatabaseSetup(): Promise<() => Promise<void>> {
  if (process.env.DATABASE_URL) return async () => undefined;
  const server: EmbeddedServer = await startEmbeddedServer({ settings: { ...STATEMENT_ACCOUNTING_SETTINGS } });
  // Creates the extension in the server's postgres database, where database work is read.
  await hasStatementAccounting(server.url);
  process.env.DATABASE_URL = server.url;
  return async () => {
    delete process.env.DATABASE_URL;
    await server.stop();
  };
}
