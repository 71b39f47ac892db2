import { createConduitApp } from "@arena/api";
import { defineContractSuite, inProcessTarget } from "@arena/contract/suite";
import { createFreshDatabase } from "@arena/database";
import { migrate } from "../src/migrate.js";
import { createStore } from "../src/store.js";

const JWT_SECRET = "contract-suite-secret";

defineContractSuite("pg", async () => {
  const database = await createFreshDatabase({ prefix: "pg_contract" });
  await migrate(database.url);
  const store = await createStore({ databaseUrl: database.url, poolMax: 10 });
  return inProcessTarget(createConduitApp({ store, jwtSecret: JWT_SECRET }), {
    jwtSecret: JWT_SECRET,
    close: async () => {
      await store.close();
      await database.drop();
    },
  });
});
