import { type EmbeddedServer, startEmbeddedServer } from "./embedded.js";

/**
 * A vitest `globalSetup` body: when DATABASE_URL is unset, start ONE embedded PostgreSQL for the
 * whole test run and hand its URL to the test workers through DATABASE_URL, so each test file
 * creates its own fresh database on it instead of starting a server per worker.
 */
export async function vitestDatabaseSetup(): Promise<() => Promise<void>> {
  if (process.env.DATABASE_URL) return async () => undefined;
  const server: EmbeddedServer = await startEmbeddedServer();
  process.env.DATABASE_URL = server.url;
  return async () => {
    delete process.env.DATABASE_URL;
    await server.stop();
  };
}
