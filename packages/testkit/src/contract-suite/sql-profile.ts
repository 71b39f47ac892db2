import type { ArticleBody } from "@arena/contract";
import { ConduitClient, type Reply, unique } from "./client.js";
import type { ContractTarget } from "./target.js";

/** Runs `work` and says how many SQL statements it sent (the database kit's counter). */
export type StatementCounter = <T>(
  work: () => Promise<T>,
) => Promise<{ result: T; count: number; statements: string[] }>;

export interface EndpointProfile {
  /** e.g. `GET /api/articles?tag=` */
  endpoint: string;
  /** The HTTP status the request answered with (all are successes). */
  status: number;
  /** SQL statements the request sent, BEGIN and COMMIT included. */
  statements: number;
  sql: string[];
}

/** An endpoint's label and the one request that profiles it. */
type ProfileStep = [string, () => Promise<Reply>];

/** The label of the deep page request, which runs only on a seeded data set (see `deepPageOffset`). */
export const DEEP_PAGE_ENDPOINT = "GET /api/articles?offset= (deep page)";

/**
 * Sends one successful request to every endpoint, one at a time, on data set up beforehand
 * (two authors, follows, tagged and favorited articles with comments, a page of 20 articles),
 * and counts the SQL each request ran. The same script for every app, so counts compare. With
 * `deepPageOffset` (on a seeded data set that has that many articles), also the first list page
 * read that far down (anonymous, as the bench reads it), right after the first page.
 */
export async function profileSqlPerEndpoint(
  target: ContractTarget,
  count: StatementCounter,
  options: { deepPageOffset?: number } = {},
): Promise<EndpointProfile[]> {
  const api = new ConduitClient(target);
  const [author, reader] = [await api.register(), await api.register()];
  const tag = unique("profile");
  const articles: ArticleBody[] = [];
  for (let i = 0; i < 20; i++) articles.push(await api.createArticle(author, { tagList: [tag, unique("t")] }));
  const first = articles[0];
  if (!first) throw new Error("no article was created");
  await api.follow(reader, author.username);
  for (const article of articles.slice(0, 5)) {
    await api.favorite(reader, article.slug);
    await api.addComment(reader, article.slug);
    await api.addComment(author, article.slug);
  }
  const comment = await api.addComment(reader, first.slug, "to delete");
  const victim = await api.createArticle(reader, { tagList: [tag] });
  const other = unique("other");

  const steps: ProfileStep[] = [
    [
      "POST /api/users",
      () =>
        api.post("/api/users", { user: { username: other, email: `${other}@example.com`, password: "password123" } }),
    ],
    [
      "POST /api/users/login",
      () => api.post("/api/users/login", { user: { email: reader.email, password: reader.password } }),
    ],
    ["GET /api/user", () => api.get("/api/user", reader.token)],
    ["PUT /api/user", () => api.put("/api/user", { user: { bio: "Reads a lot." } }, reader.token)],
    ["GET /api/profiles/:username", () => api.get(`/api/profiles/${author.username}`, reader.token)],
    ["POST /api/profiles/:username/follow", () => api.post(`/api/profiles/${other}/follow`, undefined, reader.token)],
    ["DELETE /api/profiles/:username/follow", () => api.delete(`/api/profiles/${other}/follow`, reader.token)],
    ["GET /api/articles", () => api.get("/api/articles", reader.token)],
    ...(options.deepPageOffset === undefined
      ? []
      : [
          [DEEP_PAGE_ENDPOINT, () => api.get(`/api/articles?limit=20&offset=${options.deepPageOffset}`)] as ProfileStep,
        ]),
    ["GET /api/articles?tag=", () => api.get(`/api/articles?tag=${tag}`, reader.token)],
    ["GET /api/articles?author=", () => api.get(`/api/articles?author=${author.username}`, reader.token)],
    ["GET /api/articles?favorited=", () => api.get(`/api/articles?favorited=${reader.username}`, reader.token)],
    ["GET /api/articles?offset=10", () => api.get(`/api/articles?tag=${tag}&limit=10&offset=10`, reader.token)],
    ["GET /api/articles/feed", () => api.get("/api/articles/feed", reader.token)],
    ["GET /api/articles/:slug", () => api.get(`/api/articles/${first.slug}`, reader.token)],
    [
      "POST /api/articles",
      () =>
        api.post(
          "/api/articles",
          { article: { title: "Profiled", description: "d", body: "b", tagList: [tag, unique("new")] } },
          author.token,
        ),
    ],
    [
      "PUT /api/articles/:slug",
      () => api.put(`/api/articles/${first.slug}`, { article: { body: "Edited." } }, author.token),
    ],
    [
      "PUT /api/articles/:slug (tagList)",
      () => api.put(`/api/articles/${first.slug}`, { article: { tagList: [tag, unique("re")] } }, author.token),
    ],
    [
      "POST /api/articles/:slug/favorite",
      () => api.post(`/api/articles/${articles[10]?.slug}/favorite`, undefined, reader.token),
    ],
    [
      "DELETE /api/articles/:slug/favorite",
      () => api.delete(`/api/articles/${articles[10]?.slug}/favorite`, reader.token),
    ],
    ["GET /api/articles/:slug/comments", () => api.get(`/api/articles/${first.slug}/comments`, reader.token)],
    [
      "POST /api/articles/:slug/comments",
      () => api.post(`/api/articles/${first.slug}/comments`, { comment: { body: "Hi" } }, reader.token),
    ],
    [
      "DELETE /api/articles/:slug/comments/:id",
      () => api.delete(`/api/articles/${first.slug}/comments/${comment.id}`, reader.token),
    ],
    ["DELETE /api/articles/:slug", () => api.delete(`/api/articles/${victim.slug}`, reader.token)],
    ["GET /api/tags", () => api.get("/api/tags")],
  ];

  const profile: EndpointProfile[] = [];
  for (const [endpoint, send] of steps) {
    const { result, count: statements, statements: sql } = await count(send);
    if (result.status >= 300) {
      throw new Error(
        `${endpoint} answered ${result.status} ${JSON.stringify(result.body)}; the profile needs successes`,
      );
    }
    profile.push({ endpoint, status: result.status, statements, sql });
  }
  return profile;
}

/** A Markdown table of statements per endpoint, one column per app. */
export function sqlProfileTable(profiles: Record<string, EndpointProfile[]>): string {
  const apps = Object.keys(profiles);
  const endpoints = profiles[apps[0] ?? ""]?.map((row) => row.endpoint) ?? [];
  const lines = [`| Endpoint | ${apps.join(" | ")} |`, `| --- | ${apps.map(() => "---:").join(" | ")} |`];
  for (const endpoint of endpoints) {
    const cells = apps.map((app) => String(profiles[app]?.find((row) => row.endpoint === endpoint)?.statements ?? "–"));
    lines.push(`| \`${endpoint}\` | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}
