import { DEVELOPMENT_JWT_SECRET } from "@arena/contract";
import { afterAll, beforeAll, describe } from "vitest";
import { articleContract } from "./articles.js";
import { ConduitClient } from "./client.js";
import { commentContract } from "./comments.js";
import { concurrencyContract } from "./concurrency.js";
import { errorContract } from "./errors.js";
import { favoriteContract } from "./favorites.js";
import { profileContract } from "./profiles.js";
import { queryBudgetContract } from "./query-budget.js";
import type { StatementCounter } from "./sql-profile.js";
import { tagContract } from "./tags.js";
import { type ContractTarget, urlTarget } from "./target.js";
import { userContract } from "./users.js";

export {
  type Account,
  ConduitClient,
  expectError,
  expectShape,
  path,
  type Reply,
  runId,
  unique,
} from "./client.js";
export {
  DEEP_PAGE_ENDPOINT,
  type EndpointProfile,
  profileSqlPerEndpoint,
  type StatementCounter,
  sqlProfileTable,
} from "./sql-profile.js";
export { type ContractTarget, inProcessTarget, urlTarget } from "./target.js";

/**
 * Registers the whole RealWorld contract suite with vitest. `createTarget` builds the app under
 * test (usually in-process on a fresh database); with CONTRACT_BASE_URL set, the suite targets that
 * running server instead (CONTRACT_JWT_SECRET, default the development secret, is its JWT secret).
 *
 * With `countStatements` (the SQL counter in-process, pg_stat_statements by URL), the suite also checks that
 * list endpoints run no more SQL for a full page than for one item: no hidden N+1.
 *
 * Every test creates its own users and articles with names unique to the run, so tests run
 * concurrently and the suite passes against a database that already holds data.
 */
export function defineContractSuite(
  name: string,
  createTarget: () => Promise<ContractTarget>,
  options: { countStatements?: StatementCounter } = {},
): void {
  let target: ContractTarget | undefined;
  let conduit: ConduitClient | undefined;
  const client = () => {
    if (!conduit) throw new Error("the contract target is not ready");
    return conduit;
  };

  describe(`RealWorld contract: ${name}`, () => {
    beforeAll(async () => {
      const baseUrl = process.env.CONTRACT_BASE_URL;
      target = baseUrl
        ? urlTarget(baseUrl, process.env.CONTRACT_JWT_SECRET ?? DEVELOPMENT_JWT_SECRET)
        : await createTarget();
      conduit = new ConduitClient(target);
    });
    afterAll(async () => {
      await target?.close?.();
    });

    // Every test makes its own data, so they run side by side, as real clients would.
    describe.concurrent("endpoints and rules", () => {
      userContract(client);
      profileContract(client);
      articleContract(client);
      favoriteContract(client);
      commentContract(client);
      tagContract(client);
      errorContract(client);
      concurrencyContract(client);
    });

    // Counting statements needs the process to itself, so this runs after the concurrent block.
    const { countStatements } = options;
    if (countStatements && !process.env.CONTRACT_BASE_URL) {
      queryBudgetContract(client, () => countStatements);
    }
  });
}
