import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/**
 * Password hashing with node:crypto's scrypt (no native addon, the same cost in every app).
 * Stored as `scrypt$N$r$p$<salt b64>$<hash b64>` so the parameters can change later.
 */
/** scrypt's CPU/memory cost in production. */
export const PASSWORD_COST = 16_384;
/**
 * The cost the test harnesses pass to `createConduitApp` (`passwordCost`): 16 times cheaper, so
 * the thousands of registrations of `npm test` do not spend minutes of CPU hashing. The stored
 * hash records its cost, so verification works either way. No environment variable sets it.
 */
export const TEST_PASSWORD_COST = 1024;
const N = PASSWORD_COST;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string, cost: number = N): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost, R, P);
  return ["scrypt", cost, R, P, salt.toString("base64"), key.toString("base64")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = await derive(password, Buffer.from(salt, "base64"), Number(n), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
