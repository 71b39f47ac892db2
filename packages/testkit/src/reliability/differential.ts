import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { findBaseline } from "@arena/manifest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppUnderTest } from "../app-under-test.js";
import type { ConduitClient } from "../contract-suite/index.js";
import { type Harness, startHarness } from "./harness.js";

/**
 * The baseline's answers to the script, normalised: what every other app must answer, byte for
 * byte. A fixture of the testkit, written by the baseline app's own run (found by its manifest).
 */
const TRANSCRIPT = new URL("../../fixtures/differential-transcript.json", import.meta.url);

export interface Exchange {
  request: string;
  status: number;
  body: unknown;
}

/**
 * The differential test: one scripted sequence of requests (registration, login, follows,
 * articles with tags, favorites, comments, every list filter and page, updates, deletes and the
 * error cases) on a fresh database; every answer, after normalising tokens, timestamps, slugs'
 * random suffixes and ids, must equal the baseline's. The baseline app's own run writes the
 * transcript when ARENA_WRITE_TRANSCRIPT=1 and otherwise checks it like every other app.
 */
export function differentialReliability(app: AppUnderTest, figures: Record<string, number>): void {
  describe("differential: the same answers as the baseline", () => {
    let harness: Harness;
    beforeAll(async () => {
      harness = await startHarness(app, { prefix: "differential" });
    });
    afterAll(async () => {
      await harness?.close();
    });

    it("answers the whole scripted sequence exactly as the baseline does", async () => {
      const transcript = await runScript(harness.api);
      figures.differentialRequests = transcript.length;
      await expectBaselineAnswers(app.name, transcript);
    });
  });
}

/**
 * Checks one run of the script (in-process or by URL) against the baseline's transcript, request
 * by request; the baseline itself rewrites the transcript when ARENA_WRITE_TRANSCRIPT=1.
 */
export async function expectBaselineAnswers(appName: string, transcript: Exchange[]): Promise<void> {
  const baseline = (await findBaseline()).manifest.name;
  if (appName === baseline && process.env.ARENA_WRITE_TRANSCRIPT === "1") {
    writeFileSync(TRANSCRIPT, `${JSON.stringify(transcript, null, 2)}\n`);
  }
  expect(existsSync(TRANSCRIPT), `no transcript: run the ${baseline} app's tests with ARENA_WRITE_TRANSCRIPT=1`).toBe(
    true,
  );
  const expected = JSON.parse(readFileSync(TRANSCRIPT, "utf8")) as Exchange[];
  for (let i = 0; i < Math.max(expected.length, transcript.length); i++) {
    const want = expected[i];
    const got = transcript[i];
    expect(got?.request, `request #${i + 1}`).toBe(want?.request);
    expect(
      got,
      `request #${i + 1}: ${want?.request}\n(${baseline}'s answer is expected; the diff shows ${appName}'s)`,
    ).toEqual(want);
  }
}

/** Replaces what legitimately differs between runs and apps with stable placeholders. */
class Normaliser {
  private readonly slugs = new Map<string, string>();
  private readonly ids = new Map<number, string>();

  slug(slug: string): string {
    const known = this.slugs.get(slug);
    if (known) return known;
    // The readable part is the API's (shared); the random suffix is not.
    const named = `${slug.replace(/-[a-z0-9]{8}$/, "")}-<suffix${this.slugs.size + 1}>`;
    this.slugs.set(slug, named);
    return named;
  }

  commentId(id: number): string {
    const known = this.ids.get(id);
    if (known) return known;
    const named = `<comment${this.ids.size + 1}>`;
    this.ids.set(id, named);
    return named;
  }

  path(path: string): string {
    let out = path;
    for (const [slug, named] of this.slugs) out = out.replaceAll(encodeURIComponent(slug), named);
    for (const [id, named] of this.ids) out = out.replace(new RegExp(`/comments/${id}$`), `/comments/${named}`);
    return out;
  }

  body(value: unknown, key?: string, parent?: string): unknown {
    if (Array.isArray(value)) return value.map((item) => this.body(item, undefined, key ?? parent));
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.body(v, k, key ?? parent)]));
    }
    if (key === "token" && typeof value === "string") return "<token>";
    if ((key === "createdAt" || key === "updatedAt") && typeof value === "string") {
      return Number.isNaN(Date.parse(value)) ? value : "<timestamp>";
    }
    if (key === "slug" && typeof value === "string") return this.slug(value);
    if (key === "id" && typeof value === "number" && (parent === "comment" || parent === "comments")) {
      return this.commentId(value);
    }
    return value;
  }
}

/** The script. Names are fixed: it runs on a database of its own. */
export async function runScript(api: ConduitClient): Promise<Exchange[]> {
  const transcript: Exchange[] = [];
  const normaliser = new Normaliser();
  const tokens: Record<string, string> = {};
  const send = async (method: string, path: string, body?: unknown, as?: string) => {
    const reply = await api.send(method, path, body, { token: as ? tokens[as] : undefined });
    const normalisedBody = normaliser.body(reply.body);
    transcript.push({
      request: `${method} ${normaliser.path(path)}${as ? ` as ${as}` : ""}${body === undefined ? "" : ` ${JSON.stringify(body)}`}`,
      status: reply.status,
      body: normalisedBody,
    });
    return reply as { status: number; body: Record<string, Record<string, unknown>> };
  };

  // --- Users and authentication
  for (const name of ["alice", "bob", "carol"]) {
    const reply = await send("POST", "/api/users", {
      user: { username: name, email: `${name}@Example.com`, password: `${name}-password` },
    });
    tokens[name] = reply.body.user?.token as string;
  }
  await send("POST", "/api/users", { user: { username: "alice", email: "other@example.com", password: "password1" } });
  await send("POST", "/api/users", { user: { username: "alice2", email: "ALICE@example.COM", password: "password1" } });
  await send("POST", "/api/users", { user: { username: "dave", email: "not-an-email", password: "password1" } });
  await send("POST", "/api/users", { user: { username: "dave", password: "password1" } });
  await send("POST", "/api/users", { user: { username: "dave", email: "dave@example.com", password: "short" } });
  await send("POST", "/api/users/login", { user: { email: "alice@example.com", password: "alice-password" } });
  await send("POST", "/api/users/login", { user: { email: "ALICE@EXAMPLE.COM", password: "alice-password" } });
  await send("POST", "/api/users/login", { user: { email: "alice@example.com", password: "wrong-password" } });
  await send("POST", "/api/users/login", { user: { email: "nobody@example.com", password: "alice-password" } });
  await send("POST", "/api/users/login", { user: { email: "" } });
  await send("GET", "/api/user", undefined, "alice");
  await send("GET", "/api/user");
  tokens.bad = "not.a.token";
  await send("GET", "/api/user", undefined, "bad");
  await send("PUT", "/api/user", { user: { bio: "I like dragons", image: "https://example.com/a.png" } }, "alice");
  await send("PUT", "/api/user", { user: { email: "BOB@example.com" } }, "alice");
  await send("PUT", "/api/user", { user: { username: "bob" } }, "alice");
  await send("PUT", "/api/user", { user: {} }, "alice");
  await send("PUT", "/api/user", { user: { bio: "" } }, "carol");
  await send("PUT", "/api/user", { user: { image: null } }, "alice");

  // --- Profiles and follows
  await send("GET", "/api/profiles/bob");
  await send("GET", "/api/profiles/bob", undefined, "alice");
  await send("GET", "/api/profiles/nobody");
  await send("POST", "/api/profiles/bob/follow", undefined, "alice");
  await send("POST", "/api/profiles/bob/follow", undefined, "alice");
  await send("POST", "/api/profiles/carol/follow", undefined, "alice");
  await send("DELETE", "/api/profiles/carol/follow", undefined, "alice");
  await send("DELETE", "/api/profiles/carol/follow", undefined, "alice");
  await send("POST", "/api/profiles/nobody/follow", undefined, "alice");
  await send("POST", "/api/profiles/bob/follow");
  await send("GET", "/api/profiles/bob", undefined, "alice");

  // --- Articles
  const slugs: string[] = [];
  const create = async (as: string, article: Record<string, unknown>) => {
    const reply = await send("POST", "/api/articles", { article }, as);
    const slug = reply.body.article?.slug;
    if (typeof slug === "string") slugs.push(slug);
  };
  await create("bob", {
    title: "How to train your dragon",
    description: "Ever wonder how?",
    body: "You have to believe",
    tagList: ["dragons", "training"],
  });
  await create("bob", {
    title: "Training, again",
    description: "More",
    body: "Practice.\nEvery day.",
    tagList: ["training", "  spaced  "],
  });
  await create("carol", { title: "No tags here", description: "Plain", body: "Just text" });
  await create("carol", {
    title: "Sorting tags",
    description: "Order",
    body: "z then a",
    tagList: ["zeta", "alpha", "zeta"],
  });
  await create("bob", {
    title: "Ünïcödé & “quotes” — 日本語",
    description: "✓ 🎉",
    body: "O'Reilly; DROP TABLE articles; --",
    tagList: ["ünï"],
  });
  await send("POST", "/api/articles", { article: { description: "no title", body: "b" } }, "bob");
  await send(
    "POST",
    "/api/articles",
    { article: { title: "t", description: "d", body: "b", tagList: ["ok", ""] } },
    "bob",
  );
  await send("POST", "/api/articles", { article: { title: "t", description: "d", body: "b" } });
  const [a1, a2, a3, a4, a5] = slugs as [string, string, string, string, string];

  await send("GET", `/api/articles/${a1}`);
  await send("GET", `/api/articles/${a1}`, undefined, "alice");
  await send("GET", `/api/articles/${encodeURIComponent(a5)}`);
  await send("GET", "/api/articles/no-such-article");

  // --- Favorites
  await send("POST", `/api/articles/${a1}/favorite`, undefined, "alice");
  await send("POST", `/api/articles/${a1}/favorite`, undefined, "alice");
  await send("POST", `/api/articles/${a1}/favorite`, undefined, "carol");
  await send("POST", `/api/articles/${a3}/favorite`, undefined, "alice");
  await send("POST", `/api/articles/${a4}/favorite`, undefined, "bob");
  await send("DELETE", `/api/articles/${a4}/favorite`, undefined, "bob");
  await send("DELETE", `/api/articles/${a4}/favorite`, undefined, "bob");
  await send("POST", "/api/articles/no-such-article/favorite", undefined, "bob");
  await send("POST", `/api/articles/${a1}/favorite`);

  // --- Lists: every filter, alone and together, pages, and bad parameters
  for (const as of [undefined, "alice"]) {
    await send("GET", "/api/articles", undefined, as);
    await send("GET", "/api/articles?tag=training", undefined, as);
    await send("GET", "/api/articles?author=bob", undefined, as);
    await send("GET", "/api/articles?favorited=alice", undefined, as);
    await send("GET", "/api/articles?tag=training&author=bob&favorited=alice", undefined, as);
  }
  await send("GET", "/api/articles?limit=2");
  await send("GET", "/api/articles?limit=2&offset=2");
  await send("GET", "/api/articles?offset=4");
  await send("GET", "/api/articles?offset=100");
  await send("GET", "/api/articles?tag=unknown");
  await send("GET", "/api/articles?author=nobody");
  await send("GET", "/api/articles?favorited=nobody");
  await send("GET", `/api/articles?tag=${encodeURIComponent("ünï")}`);
  await send("GET", "/api/articles?limit=0");
  await send("GET", "/api/articles?limit=abc");
  await send("GET", "/api/articles?offset=-1");
  await send("GET", "/api/articles?tag=");
  await send("GET", "/api/articles/feed", undefined, "alice");
  await send("GET", "/api/articles/feed?limit=1&offset=1", undefined, "alice");
  await send("GET", "/api/articles/feed", undefined, "carol");
  await send("GET", "/api/articles/feed");

  // --- Updates
  await send("PUT", `/api/articles/${a1}`, { article: { title: "How to train your dragon, revised" } }, "bob");
  await send("PUT", `/api/articles/${a1}`, { article: { body: "Believe harder", tagList: ["dragons", "new"] } }, "bob");
  await send("PUT", `/api/articles/${a2}`, { article: { tagList: [] } }, "bob");
  await send("PUT", `/api/articles/${a2}`, { article: { description: "Changed" } }, "bob");
  await send("PUT", `/api/articles/${a1}`, { article: { body: "hijacked" } }, "alice");
  await send("PUT", `/api/articles/${a1}`, { article: {} }, "bob");
  await send("PUT", `/api/articles/${a1}`, { article: { tagList: null } }, "bob");
  await send("PUT", "/api/articles/no-such-article", { article: { body: "x" } }, "bob");
  await send("GET", `/api/articles/${a1}`, undefined, "carol");
  await send("GET", "/api/tags");

  // --- Comments
  const commentIds: number[] = [];
  for (const [as, body] of [
    ["alice", "First!"],
    ["carol", "Nice dragons"],
    ["alice", "Second thoughts"],
  ] as const) {
    const reply = await send("POST", `/api/articles/${a1}/comments`, { comment: { body } }, as);
    commentIds.push(reply.body.comment?.id as number);
  }
  await send("POST", `/api/articles/${a1}/comments`, { comment: { body: "" } }, "alice");
  await send("POST", `/api/articles/${a1}/comments`, { comment: { body: "anonymous" } });
  await send("POST", "/api/articles/no-such-article/comments", { comment: { body: "x" } }, "alice");
  await send("GET", `/api/articles/${a1}/comments`);
  await send("GET", `/api/articles/${a1}/comments`, undefined, "bob");
  await send("GET", `/api/articles/${a3}/comments`);
  await send("GET", "/api/articles/no-such-article/comments");
  await send("DELETE", `/api/articles/${a1}/comments/${commentIds[0]}`, undefined, "carol");
  await send("DELETE", `/api/articles/${a1}/comments/${commentIds[0]}`, undefined, "alice");
  await send("DELETE", `/api/articles/${a1}/comments/${commentIds[0]}`, undefined, "alice");
  await send("DELETE", `/api/articles/${a1}/comments/abc`, undefined, "alice");
  await send("DELETE", `/api/articles/${a2}/comments/${commentIds[1]}`, undefined, "carol");
  await send("GET", `/api/articles/${a1}/comments`, undefined, "alice");

  // --- Deletes
  await send("DELETE", `/api/articles/${a1}`, undefined, "alice");
  await send("DELETE", `/api/articles/${a1}`, undefined, "bob");
  await send("GET", `/api/articles/${a1}`);
  await send("DELETE", `/api/articles/${a1}`, undefined, "bob");
  await send("GET", `/api/articles/${a1}/comments`);
  await send("GET", "/api/articles?favorited=alice", undefined, "alice");
  await send("GET", "/api/articles/feed", undefined, "alice");
  await send("GET", "/api/tags");
  await send("GET", "/api/profiles/alice", undefined, "bob");
  await send("GET", "/api/no-such-route");
  return transcript;
}
