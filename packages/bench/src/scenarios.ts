import type { Dataset } from "./dataset.js";
import { Random } from "./random.js";
import { benchToken } from "./tokens.js";

/** One HTTP request of a request list, in the shape autocannon replays. */
export interface BenchRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Scenario {
  name: string;
  description: string;
  kind: "read" | "write" | "mixed";
  /** The request list: the same bytes for every app. */
  build(data: Dataset, random: Random): BenchRequest[];
}

const LIST_LENGTH = 200;

const auth = (userId: number) => ({ Authorization: `Token ${benchToken(userId)}` });
const json = (userId: number) => ({ ...auth(userId), "Content-Type": "application/json" });
const get = (path: string, userId?: number): BenchRequest => ({
  method: "GET",
  path,
  ...(userId ? { headers: auth(userId) } : {}),
});
const repeat = (random: Random, make: (random: Random) => BenchRequest | BenchRequest[]) =>
  Array.from({ length: LIST_LENGTH }, () => make(random)).flat();

/** Skewed picks: popular articles, authors and tags get most requests, as on a real blog. */
const popularArticle = (data: Dataset, random: Random) =>
  data.articles[data.articles.length - 1 - random.skewed(data.articles.length)] ?? data.articles[0];
const popularUser = (data: Dataset, random: Random) => data.users[random.skewed(data.users.length)] ?? data.users[0];
const anyUser = (data: Dataset, random: Random) => random.pick(data.users);
const popularTag = (data: Dataset, random: Random) => data.tags[random.skewed(data.tags.length)] ?? data.tags[0];
const reader = (data: Dataset, random: Random) => random.pick(data.follows).followerId;
const must = <T>(value: T | undefined): T => {
  if (value === undefined) throw new Error("the data set is empty");
  return value;
};

export const SCENARIOS: Scenario[] = [
  {
    name: "articles",
    description: "GET /api/articles, anonymous, first page",
    kind: "read",
    build: (_data, random) => repeat(random, () => get("/api/articles")),
  },
  {
    name: "articles-tag",
    description: "GET /api/articles?tag=, signed in",
    kind: "read",
    build: (data, random) =>
      repeat(random, (r) => get(`/api/articles?tag=${must(popularTag(data, r)).name}`, anyUser(data, r).id)),
  },
  {
    name: "articles-author",
    description: "GET /api/articles?author=, signed in",
    kind: "read",
    build: (data, random) =>
      repeat(random, (r) => get(`/api/articles?author=${must(popularUser(data, r)).username}`, anyUser(data, r).id)),
  },
  {
    name: "articles-favorited",
    description: "GET /api/articles?favorited=, signed in",
    kind: "read",
    build: (data, random) =>
      repeat(random, (r) => get(`/api/articles?favorited=${anyUser(data, r).username}`, anyUser(data, r).id)),
  },
  {
    name: "articles-deep",
    description: "GET /api/articles with a deep offset (past half the articles)",
    kind: "read",
    build: (data, random) =>
      repeat(random, (r) =>
        get(`/api/articles?limit=20&offset=${r.int(Math.floor(data.articles.length / 2), data.articles.length - 20)}`),
      ),
  },
  {
    name: "article",
    description: "GET /api/articles/:slug, signed in",
    kind: "read",
    build: (data, random) =>
      repeat(random, (r) => get(`/api/articles/${must(popularArticle(data, r)).slug}`, anyUser(data, r).id)),
  },
  {
    name: "feed",
    description: "GET /api/articles/feed of a user who follows others",
    kind: "read",
    build: (data, random) => repeat(random, (r) => get("/api/articles/feed", reader(data, r))),
  },
  {
    name: "comments",
    description: "GET /api/articles/:slug/comments, signed in",
    kind: "read",
    build: (data, random) =>
      repeat(random, (r) => get(`/api/articles/${must(popularArticle(data, r)).slug}/comments`, anyUser(data, r).id)),
  },
  {
    name: "profile",
    description: "GET /api/profiles/:username, signed in",
    kind: "read",
    build: (data, random) =>
      repeat(random, (r) => get(`/api/profiles/${must(popularUser(data, r)).username}`, anyUser(data, r).id)),
  },
  {
    name: "tags",
    description: "GET /api/tags",
    kind: "read",
    build: (_data, random) => repeat(random, () => get("/api/tags")),
  },
  {
    name: "create-article",
    description: "POST /api/articles with three tags (two existing, one from a small new set)",
    kind: "write",
    build: (data, random) => repeat(random, (r) => createArticle(data, r)),
  },
  {
    name: "favorite",
    description: "POST then DELETE /api/articles/:slug/favorite by the same user",
    kind: "write",
    build: (data, random) => repeat(random, (r) => favoritePair(data, r)).slice(0, LIST_LENGTH),
  },
  {
    name: "comment",
    description: "POST /api/articles/:slug/comments",
    kind: "write",
    build: (data, random) => repeat(random, (r) => postComment(data, r)),
  },
  {
    name: "mixed",
    description: "88% reads (lists, articles, feed, comments, profiles, tags), 12% writes",
    kind: "mixed",
    build: (data, random) =>
      repeat(random, (r) => {
        const roll = r.next();
        const user = anyUser(data, r).id;
        if (roll < 0.2) return get("/api/articles?limit=10", user);
        if (roll < 0.3) return get(`/api/articles?tag=${must(popularTag(data, r)).name}&limit=10`, user);
        if (roll < 0.36) return get(`/api/articles?author=${must(popularUser(data, r)).username}&limit=10`, user);
        if (roll < 0.52) return get(`/api/articles/${must(popularArticle(data, r)).slug}`, user);
        if (roll < 0.62) return get("/api/articles/feed?limit=10", reader(data, r));
        if (roll < 0.74) return get(`/api/articles/${must(popularArticle(data, r)).slug}/comments`, user);
        if (roll < 0.81) return get(`/api/profiles/${must(popularUser(data, r)).username}`, user);
        if (roll < 0.88) return get("/api/tags");
        if (roll < 0.92) return createArticle(data, r);
        if (roll < 0.96) return favoritePair(data, r);
        return postComment(data, r);
      }).slice(0, LIST_LENGTH),
  },
];

function createArticle(data: Dataset, random: Random): BenchRequest {
  const author = anyUser(data, random).id;
  const tagList = [
    must(popularTag(data, random)).name,
    must(popularTag(data, random)).name,
    `bench-new-${random.int(1, 50)}`,
  ];
  const article = {
    title: `Benchmark article by user ${author}`,
    description: "Written by the load comparison.",
    body: "A body long enough to look like a short post. ".repeat(12).trim(),
    tagList,
  };
  return { method: "POST", path: "/api/articles", headers: json(author), body: JSON.stringify({ article }) };
}

function favoritePair(data: Dataset, random: Random): BenchRequest[] {
  const user = anyUser(data, random).id;
  const path = `/api/articles/${must(popularArticle(data, random)).slug}/favorite`;
  return [
    { method: "POST", path, headers: auth(user) },
    { method: "DELETE", path, headers: auth(user) },
  ];
}

function postComment(data: Dataset, random: Random): BenchRequest {
  const author = anyUser(data, random).id;
  const path = `/api/articles/${must(popularArticle(data, random)).slug}/comments`;
  return {
    method: "POST",
    path,
    headers: json(author),
    body: JSON.stringify({ comment: { body: "Thanks for writing this." } }),
  };
}

/** Every scenario's request list for a data set: deterministic, one seed per scenario. */
export function buildRequestLists(data: Dataset, seed = 7): Record<string, BenchRequest[]> {
  return Object.fromEntries(
    SCENARIOS.map((scenario, i) => [scenario.name, scenario.build(data, new Random(seed + i))]),
  );
}
