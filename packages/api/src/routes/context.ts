import { Hono } from "hono";
import { type AuthVariables, authenticate, type TokenService } from "../auth.js";
import type { ConduitStore } from "../store.js";

/** What every route module needs. */
export interface RouteDeps {
  store: ConduitStore;
  tokens: TokenService;
  /** scrypt cost for new password hashes (`ConduitAppOptions.passwordCost`). */
  passwordCost: number;
}

export type ApiEnv = { Variables: AuthVariables };

export function createRouter(deps: RouteDeps) {
  return {
    router: new Hono<ApiEnv>(),
    requireAuth: authenticate(deps.tokens, deps.store, true),
    optionalAuth: authenticate(deps.tokens, deps.store, false),
  };
}

/** The signed-in user's id on a route behind `requireAuth`. */
export function viewer(c: { get(key: "viewerId"): number | null }): number {
  const id = c.get("viewerId");
  if (id === null) throw new Error("viewer() used on a route without requireAuth");
  return id;
}
