import {
  NewArticleRequest,
  NewCommentRequest,
  NewUserRequest,
  UpdateArticleRequest,
  UpdateUserRequest,
} from "@arena/contract";
import { createFreshDatabase, type FreshDatabase } from "@arena/database";
import { findBaseline } from "@arena/manifest";
import { type AppProcess, appAt, migrateByManifest, startByManifest } from "@arena/testkit";
import fc from "fast-check";
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

describe("the same answer to the same invalid request, in both languages", () => {
  const send = async (server: AppProcess, method: string, path: string, raw?: string, token?: string) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Token ${token}` } : {}) },
      ...(raw === undefined ? {} : { body: raw }),
    });
    return { status: response.status, body: await response.text() };
  };

  it("answers every invalid body and query as the TypeScript layer does, status and body", async () => {
    const user = {
      username: `parity-${Date.now()}`,
      email: `parity-${Date.now()}@example.com`,
      password: "password123",
    };
    const { token } = (await call(servers.typescript, "POST", "/api/users", { user })).body.user;
    const article = await fetch(`${servers.typescript.url}/api/articles`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Token ${token}` },
      body: JSON.stringify({ article: { title: "parity", description: "d", body: "b" } }),
    });
    const { slug } = ((await article.json()) as { article: { slug: string } }).article;
    const routes = [
      ["POST", "/api/users", "user", ["username", "email", "password"], NewUserRequest],
      ["POST", "/api/users/login", "user", ["email", "password"], undefined],
      ["PUT", "/api/user", "user", ["username", "email", "password", "bio", "image"], UpdateUserRequest],
      ["POST", "/api/articles", "article", ["title", "description", "body", "tagList"], NewArticleRequest],
      ["PUT", `/api/articles/${slug}`, "article", ["title", "description", "body", "tagList"], UpdateArticleRequest],
      ["POST", `/api/articles/${slug}/comments`, "comment", ["body"], NewCommentRequest],
    ] as const;
    const value = fc.oneof(
      fc.constantFrom(null, true, 0, 1.5, [], {}, [null], ["ok", ""], ["a", 1], "", " ", "\u00a0", "x\u0000", "\ud800"),
      fc.constantFrom("short", "not an email", "a@b", "😀😀😀😀", "password123", "x".repeat(257)),
      fc.string({ unit: "grapheme", maxLength: 12 }),
    );
    const body = fc.oneof(
      fc.integer({ min: 0, max: routes.length - 1 }).chain((r) => {
        const [, , envelope, fields] = routes[r] as (typeof routes)[number];
        return fc
          .dictionary(fc.constantFrom(...fields), value, { maxKeys: fields.length })
          .map((inner) => ({ r, raw: JSON.stringify({ [envelope]: inner }) }));
      }),
      fc.record({
        r: fc.integer({ min: 0, max: routes.length - 1 }),
        raw: fc.oneof(
          fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
          fc.constantFrom("", "{", "[1,", '{"a":1}{"b":2}', "\ufeff{}", '{"user":"x"}', '{"article":[]}', "1e400"),
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(body, async ({ r, raw }) => {
        const [method, path, , , schema] = routes[r] as (typeof routes)[number];
        // Only requests that change nothing: a valid body would write through one app, then the other.
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw);
        } catch {
          parsed = undefined;
        }
        if (schema && parsed !== undefined) fc.pre(!schema.safeParse(parsed).success);
        if (path === "/api/users/login")
          fc.pre(parsed === undefined || !JSON.stringify(parsed).includes("password123"));
        const [ts, py] = await Promise.all([
          send(servers.typescript, method, path, raw, token),
          send(servers.python, method, path, raw, token),
        ]);
        expect({ status: py.status, body: JSON.parse(py.body) }, `${method} ${path} ${raw}`).toEqual({
          status: ts.status,
          body: JSON.parse(ts.body),
        });
      }),
      { numRuns: 300, seed: 21 },
    );

    // Paths either router might read differently: trailing slashes, unknown routes and methods, escapes.
    for (const [method, path] of [
      ["GET", "/api/articles/"],
      ["GET", "/api/tags/"],
      ["GET", "/api/nothing-here"],
      ["PATCH", "/api/articles"],
      ["POST", "/api/tags"],
      ["GET", `/api/articles/${slug}%2Fcomments`],
      ["GET", `/api/articles/${encodeURIComponent(slug)}`],
      ["GET", "/api/profiles/%E2%82"],
      ["GET", "/api/profiles/a%00b"],
      ["GET", "/api"],
      ["GET", "/"],
    ] as const) {
      const [ts, py] = await Promise.all([
        send(servers.typescript, method, path, undefined, token),
        send(servers.python, method, path, undefined, token),
      ]);
      expect(py.status, `${method} ${path}: ${py.body}`).toBe(ts.status);
      expect(JSON.parse(py.body), `${method} ${path}`).toEqual(JSON.parse(ts.body));
    }

    const param = fc.oneof(
      fc.constantFrom("-1", "0", "1", "1e3", "2147483648", "9".repeat(30), "0x10", " 1", "", "%", "%zz", "%E2%82", "+"),
      fc.string({ maxLength: 6 }).map(encodeURIComponent),
    );
    await fc.assert(
      fc.asyncProperty(fc.tuple(param, param, fc.integer({ min: 0, max: 3 })), async ([a, b, which]) => {
        const path = [
          `/api/articles?limit=${a}&offset=${b}`,
          `/api/articles?tag=${a}&author=${b}&limit=${a}`,
          `/api/articles/feed?offset=${a}&limit=${b}`,
          `/api/articles/${slug}/comments/${a}`,
        ][which] as string;
        const method = which === 3 ? "DELETE" : "GET";
        const [ts, py] = await Promise.all([
          send(servers.typescript, method, path, undefined, token),
          send(servers.python, method, path, undefined, token),
        ]);
        expect(py.status, `${method} ${path}: ${py.body}`).toBe(ts.status);
        if (ts.status !== 200) expect(JSON.parse(py.body), `${method} ${path}`).toEqual(JSON.parse(ts.body));
      }),
      { numRuns: 200, seed: 21 },
    );
  }, 120_000);
});
