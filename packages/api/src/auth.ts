import type { MiddlewareHandler } from "hono";
import { sign, verify } from "hono/jwt";
import { invalidToken, missingToken } from "./errors.js";
import type { ConduitStore, UserRecord } from "./store.js";

/** Issues and checks the JWTs the API hands out: HS256, subject = user id, 30 days. */
export interface TokenService {
  issue(userId: number): Promise<string>;
  /** The user id a valid token was issued for; `null` for a bad, expired or tampered token. */
  verify(token: string): Promise<number | null>;
}

const THIRTY_DAYS_IN_SECONDS = 30 * 24 * 60 * 60;

export function createTokenService(secret: string, ttlSeconds = THIRTY_DAYS_IN_SECONDS): TokenService {
  return {
    async issue(userId) {
      const now = Math.floor(Date.now() / 1000);
      return sign({ sub: String(userId), iat: now, exp: now + ttlSeconds }, secret, "HS256");
    },
    async verify(token) {
      try {
        // The algorithm is fixed, so `alg: none` or a switched algorithm is rejected.
        const payload = await verify(token, secret, "HS256");
        const id = Number(payload.sub);
        return Number.isSafeInteger(id) && id > 0 ? id : null;
      } catch {
        return null;
      }
    },
  };
}

/** Variables the auth middleware puts on the request context. */
export type AuthVariables = {
  viewerId: number | null;
  /** The signed-in user as loaded when the token was checked; `null` for anonymous requests. */
  viewerUser: UserRecord | null;
};

/**
 * Reads `Authorization: Token <jwt>` (the RealWorld scheme; `Bearer` is accepted too). With
 * `required`, a request without a token is a 401 "is missing"; a token that is present but bad is
 * always a 401 "is invalid", even on routes where signing in is optional.
 *
 * A well-signed token is only as good as its user: the user is loaded on every signed-in request
 * (one primary-key lookup, the same in every app), so the token of a deleted user is a 401
 * everywhere, instead of a foreign-key violation on writes and a stranger's view on reads.
 */
export function authenticate(
  tokens: TokenService,
  store: Pick<ConduitStore, "findUserById">,
  required: boolean,
): MiddlewareHandler<{ Variables: AuthVariables }> {
  return async (c, next) => {
    const header = c.req.header("Authorization");
    if (!header) {
      if (required) throw missingToken();
      c.set("viewerId", null);
      c.set("viewerUser", null);
      return next();
    }
    const match = /^(?:Token|Bearer) +(\S+)\s*$/i.exec(header);
    const userId = match?.[1] ? await tokens.verify(match[1]) : null;
    const user = userId === null ? null : await store.findUserById(userId);
    if (user === null) throw invalidToken();
    c.set("viewerId", user.id);
    c.set("viewerUser", user);
    return next();
  };
}
