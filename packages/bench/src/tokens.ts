import { createHmac } from "node:crypto";

/** The JWT secret every app gets during a benchmark run. */
export const BENCH_JWT_SECRET = "orm-arena-benchmark-secret";

/** Far in the future and fixed, so request lists are the same bytes on every run. */
const ISSUED_AT = 1_767_225_600; // 2026-01-01
const EXPIRES_AT = 4_102_444_800; // 2100-01-01

/**
 * A token for a seeded user, made up front with the benchmark secret (HS256, `sub` = user id,
 * the same claims the API issues), so that no login and no password hashing is measured.
 */
export function benchToken(userId: number, secret = BENCH_JWT_SECRET): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${encode({ alg: "HS256", typ: "JWT" })}.${encode({ sub: String(userId), iat: ISSUED_AT, exp: EXPIRES_AT })}`;
  return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}
