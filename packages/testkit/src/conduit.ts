import { type AppModule, type ConduitStore, createConduitApp, TEST_PASSWORD_COST } from "@arena/api";

/**
 * The app's API in-process, as the suites test it: over `store`, signing with `jwtSecret`, with the
 * test's cheap password cost and the app's own database error recognition (503s).
 */
export function conduitUnderTest(
  app: AppModule,
  store: ConduitStore,
  jwtSecret: string,
): ReturnType<typeof createConduitApp> {
  return createConduitApp({
    store,
    jwtSecret,
    passwordCost: TEST_PASSWORD_COST,
    ...(app.databaseErrors ? { databaseErrors: app.databaseErrors } : {}),
  });
}
