import { buildOpenApiDocument } from "@arena/contract";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createTokenService } from "./auth.js";
import { type DatabaseErrorShape, databaseFailure } from "./database-errors.js";
import { ApiError, databaseUnavailable, notFound, taken } from "./errors.js";
import { instrumentationRoutes } from "./instrumentation.js";
import { PASSWORD_COST } from "./password.js";
import { articleRoutes } from "./routes/articles.js";
import { commentRoutes } from "./routes/comments.js";
import type { ApiEnv } from "./routes/context.js";
import { profileRoutes } from "./routes/profiles.js";
import { tagRoutes } from "./routes/tags.js";
import { userRoutes } from "./routes/users.js";
import { type ConduitStore, ConflictError } from "./store.js";

export interface ConduitAppOptions {
  store: ConduitStore;
  jwtSecret: string;
  /** Largest accepted request body, in bytes (default 1 MiB): larger ones are a 413. */
  maxBodyBytes?: number;
  /**
   * For the load comparison: serve `GET /__arena/sql` with the number of SQL statements this
   * process (or, with workers, the whole cluster) has sent, so statements per request can be
   * measured under load.
   */
  sqlStatementCount?: () => number | Promise<number>;
  /** Processes serving this app (WORKERS), reported next to the statements for the results. */
  workers?: number;
  /**
   * scrypt cost of new password hashes; default {@link PASSWORD_COST}. Only the test harnesses
   * lower it (`TEST_PASSWORD_COST`), in code: no environment variable can.
   */
  passwordCost?: number;
  /** How the app's ORM wraps database failures (its `src/database-errors.ts`), for the 503s. */
  databaseErrors?: DatabaseErrorShape;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * The whole Conduit API on top of a store: every route under `/api`, the OpenAPI document at
 * `/api/openapi.json`, and `/healthz`. Every app serves exactly this; only the store differs.
 */
export function createConduitApp(options: ConduitAppOptions): Hono<ApiEnv> {
  const deps = {
    store: options.store,
    tokens: createTokenService(options.jwtSecret),
    passwordCost: options.passwordCost ?? PASSWORD_COST,
  };
  const openApiDocument = JSON.stringify(buildOpenApiDocument());

  const api = new Hono<ApiEnv>()
    .route("/", userRoutes(deps))
    .route("/", profileRoutes(deps))
    .route("/", articleRoutes(deps))
    .route("/", commentRoutes(deps))
    .route("/", tagRoutes(deps))
    .get("/openapi.json", (c) => c.body(openApiDocument, 200, { "Content-Type": "application/json" }));

  const app = new Hono<ApiEnv>();
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      // The rest of the body is never read, so the connection cannot carry another request:
      // say so, or a keep-alive client sends its next request into a closing socket.
      onError: (c) => c.json({ errors: { request: ["is too large"] } }, 413, { Connection: "close" }),
    }),
  );
  app.route("/api", api);

  if (options.sqlStatementCount) {
    app.route("/__arena", instrumentationRoutes(options.sqlStatementCount, options.workers ?? 1));
  }

  app.get("/healthz", async (c) => {
    try {
      await options.store.ping();
      return c.json({ status: "ok" });
    } catch {
      return c.json(databaseUnavailable("unavailable").body, 503, { "Retry-After": "1" });
    }
  });

  app.notFound((c) => c.json(notFound("route").body, 404));

  app.onError((error, c) => {
    if (error instanceof ApiError) return c.json(error.body, error.status);
    if (error instanceof ConflictError) return c.json(taken(error.field).body, 409);
    const failure = databaseFailure(error, options.databaseErrors);
    if (failure) {
      console.error(`${c.req.method} ${c.req.path}: database ${failure}: ${error.message}`);
      return c.json(databaseUnavailable(failure).body, 503, { "Retry-After": "1" });
    }
    console.error(`${c.req.method} ${c.req.path} failed:`, error);
    return c.json({ errors: { server: ["internal error"] } }, 500);
  });

  return app;
}
