import { createFreshDatabase, type FreshDatabase } from "@arena/database";
import { findBaseline } from "@arena/manifest";
import { type AppProcess, appAt, migrateByManifest, startByManifest } from "@arena/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// One database, two languages: the TypeScript baseline and this Python baseline serve it side by
// side with one JWT secret. A user registered through either logs in through the other (the same
// scrypt hash format and parameters), and either's token is accepted by the other (the same JWT).
const JWT_SECRET = "interop-secret";
const python = await appAt(new URL("..", import.meta.url));
const typescript = await findBaseline("typescript");

let database: FreshDatabase;
let servers: { python: AppProcess; typescript: AppProcess };

beforeAll(async () => {
  database = await createFreshDatabase({ prefix: "interop" });
  await migrateByManifest(typescript, database.url);
  const [py, ts] = await Promise.all([
    startByManifest(python, { databaseUrl: database.url, jwtSecret: JWT_SECRET }),
    startByManifest(typescript, { databaseUrl: database.url, jwtSecret: JWT_SECRET }),
  ]);
  servers = { python: py, typescript: ts };
}, 120_000);

afterAll(async () => {
  await Promise.all([servers?.python.stop(), servers?.typescript.stop()]);
  await database?.drop();
});

const call = async (server: AppProcess, method: string, path: string, body?: unknown, token?: string) => {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Token ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as { user: { token: string; username: string } } };
};

describe.each([
  ["TypeScript", "Python"],
  ["Python", "TypeScript"],
] as const)("registered through the %s baseline, used through the %s one", (from, to) => {
  const pick = (language: "TypeScript" | "Python") => (language === "Python" ? servers.python : servers.typescript);

  it("logs in with the same password, and each side accepts the other's token", async () => {
    const username = `interop-${from}-${Date.now()}`;
    const user = { username, email: `${username}@example.com`, password: "a password of some length" };
    const registered = await call(pick(from), "POST", "/api/users", { user });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);

    const login = await call(pick(to), "POST", "/api/users/login", {
      user: { email: user.email.toUpperCase(), password: user.password },
    });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    expect(login.body.user.username).toBe(username);
    const wrong = await call(pick(to), "POST", "/api/users/login", {
      user: { email: user.email, password: "not it!!" },
    });
    expect(wrong.status).toBe(401);

    // The token issued by one language, accepted by the other, both ways.
    const acrossTo = await call(pick(to), "GET", "/api/user", undefined, registered.body.user.token);
    expect(acrossTo.status).toBe(200);
    expect(acrossTo.body.user.username).toBe(username);
    const acrossBack = await call(pick(from), "GET", "/api/user", undefined, login.body.user.token);
    expect(acrossBack.status).toBe(200);
    expect(acrossBack.body.user.username).toBe(username);
  });
});
