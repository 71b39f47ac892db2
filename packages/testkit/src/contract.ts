import type { AppModule } from "@arena/api";
import { countQueries, createFreshDatabase } from "@arena/database";
import { conduitUnderTest } from "./conduit.js";
import { defineContractSuite, inProcessTarget } from "./contract-suite/index.js";

const JWT_SECRET = "contract-suite-secret";

/**
 * What every app's `test/contract.test.ts` calls: the whole contract suite against the app,
 * in-process, on a fresh database migrated by the app's own migrations, with the SQL counter
 * watching for N+1 queries. With CONTRACT_BASE_URL set, the same suite targets a running server.
 */
export function defineAppContractSuite(app: AppModule): void {
  defineContractSuite(
    app.name,
    async () => {
      const database = await createFreshDatabase({ prefix: `${app.name}_contract` });
      await app.migrate(database.url);
      const store = await app.createStore({ databaseUrl: database.url, poolMax: 10 });
      return inProcessTarget(conduitUnderTest(app, store, JWT_SECRET), {
        jwtSecret: JWT_SECRET,
        close: async () => {
          await store.close();
          await database.drop();
        },
      });
    },
    { countStatements: countQueries },
  );
}
