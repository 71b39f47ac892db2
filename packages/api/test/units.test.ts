import { describe, expect, it } from "vitest";
import { createTokenService } from "../src/auth.js";
import { readConfig } from "../src/config.js";
import { databaseFailure } from "../src/database-errors.js";
import { parseMigrateArguments } from "../src/migrate-command.js";
import { hashPassword, verifyPassword } from "../src/password.js";
import { readingMinutes } from "../src/reading-time.js";
import { slugify } from "../src/slug.js";

describe("slugify", () => {
  it("turns a title into lowercase words joined by dashes, with a random suffix", () => {
    expect(slugify("How to Train Your Dragon!")).toMatch(/^how-to-train-your-dragon-[0-9a-z]{8}$/);
    expect(slugify("Crème brûlée, à la carte")).toMatch(/^creme-brulee-a-la-carte-[0-9a-z]{8}$/);
    expect(slugify("日本語のタイトル")).toMatch(/^日本語のタイトル-[0-9a-z]{8}$/u);
    expect(slugify("!!!")).toMatch(/^article-[0-9a-z]{8}$/);
  });

  it("never gives the same slug twice for the same title", () => {
    const slugs = new Set(Array.from({ length: 1000 }, () => slugify("Same title")));
    expect(slugs.size).toBe(1000);
  });

  it("keeps long titles to a readable length", () => {
    expect(slugify("word ".repeat(100)).length).toBeLessThanOrEqual(69);
  });
});

describe("passwords", () => {
  it("verifies the right password and rejects others", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
    expect(await verifyPassword("Correct horse battery staple", stored)).toBe(false);
    expect(await verifyPassword("anything", "not-a-hash")).toBe(false);
  });

  it("salts every hash", async () => {
    expect(await hashPassword("same")).not.toBe(await hashPassword("same"));
  });
});

describe("tokens", () => {
  it("round-trips the user id and rejects tokens of another secret", async () => {
    const tokens = createTokenService("secret-a");
    const token = await tokens.issue(42);
    expect(await tokens.verify(token)).toBe(42);
    expect(await createTokenService("secret-b").verify(token)).toBeNull();
    expect(await tokens.verify("not.a.token")).toBeNull();
  });

  it("rejects expired tokens", async () => {
    const tokens = createTokenService("secret", -10);
    expect(await tokens.verify(await tokens.issue(1))).toBeNull();
  });
});

describe("readConfig", () => {
  it("has the same defaults in every app", () => {
    expect(readConfig({})).toMatchObject({
      databaseUrl: undefined,
      port: 3000,
      poolMax: 10,
      statementTimeoutMs: 5000,
      connectionTimeoutMs: 10_000,
      workers: 1,
      production: false,
    });
  });

  it("takes a worker count of at least 1", () => {
    expect(readConfig({ WORKERS: "4" }).workers).toBe(4);
    expect(() => readConfig({ WORKERS: "0" })).toThrow(/WORKERS/);
  });

  it("requires JWT_SECRET in production", () => {
    expect(() => readConfig({ NODE_ENV: "production" })).toThrow(/JWT_SECRET/);
    expect(readConfig({ NODE_ENV: "production", JWT_SECRET: "s" }).jwtSecret).toBe("s");
  });

  it("rejects a malformed number", () => {
    expect(() => readConfig({ PG_POOL_MAX: "ten" })).toThrow(/PG_POOL_MAX/);
  });
});

describe("readingMinutes", () => {
  it("counts words at 200 a minute, rounded up, at least 1", () => {
    expect(readingMinutes("")).toBe(1);
    expect(readingMinutes("   \n\t ")).toBe(1);
    expect(readingMinutes("one")).toBe(1);
    expect(readingMinutes(Array(200).fill("word").join(" "))).toBe(1);
    expect(readingMinutes(Array(201).fill("word").join("\n  "))).toBe(2);
    expect(readingMinutes(Array(1000).fill("w").join(" "))).toBe(5);
  });
});

describe("databaseFailure", () => {
  // Each ORM's own wrapping is checked next to its store: apps/<orm>/test/database-errors.test.ts.
  const pgError = (code: string, message = "x") => Object.assign(new Error(message), { code });

  it("sees a lost or refused connection through node-postgres and the error chain", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    expect(databaseFailure(refused)).toBe("unavailable");
    expect(databaseFailure(pgError("57P01", "terminating connection due to administrator command"))).toBe(
      "unavailable",
    );
    expect(databaseFailure(new Error("Connection terminated unexpectedly"))).toBe("unavailable");
    expect(databaseFailure(new AggregateError([refused], "all attempts failed"))).toBe("unavailable");
  });

  it("tells a statement timeout apart", () => {
    expect(databaseFailure(pgError("57014", "canceling statement due to statement timeout"))).toBe("timeout");
    expect(databaseFailure(Object.assign(new Error("wrapped"), { cause: pgError("57014") }))).toBe("timeout");
  });

  it("leaves every other error alone: those are bugs, and a 500", () => {
    expect(databaseFailure(pgError("23505", "duplicate key value violates unique constraint"))).toBeNull();
    expect(databaseFailure(pgError("42P01", 'relation "nope" does not exist'))).toBeNull();
    expect(databaseFailure(new TypeError("cannot read properties of undefined"))).toBeNull();
    expect(databaseFailure("a string")).toBeNull();
    const loop: Record<string, unknown> = { message: "loop" };
    loop.cause = loop;
    expect(databaseFailure(loop)).toBeNull();
  });
});

describe("parseMigrateArguments (the migrate command's contract)", () => {
  it("reads all migrations, a target version, and a rollback to a version", () => {
    expect(parseMigrateArguments([])).toEqual({ rollback: false, to: undefined });
    expect(parseMigrateArguments(["--to", "v1"])).toEqual({ rollback: false, to: "v1" });
    expect(parseMigrateArguments(["--to=v2"])).toEqual({ rollback: false, to: "v2" });
    expect(parseMigrateArguments(["--rollback", "--to", "v1"])).toEqual({ rollback: true, to: "v1" });
  });

  it("refuses an unknown version or argument, and a rollback without a target", () => {
    expect(() => parseMigrateArguments(["--to", "v3"])).toThrow(/--to takes one of v1, v2/);
    expect(() => parseMigrateArguments(["--to"])).toThrow(/--to takes/);
    expect(() => parseMigrateArguments(["--down"])).toThrow(/unknown argument/);
    expect(() => parseMigrateArguments(["--rollback"])).toThrow(/--rollback needs --to/);
  });
});
