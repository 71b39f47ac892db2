import { createHmac, randomBytes } from "node:crypto";
import {
  type ArticleBody,
  type CommentBody,
  GenericError,
  type ProfileBody,
  SingleArticleResponse,
  SingleCommentResponse,
  type UserBody,
  UserResponse,
} from "@arena/contract";
import { expect } from "vitest";
import type { z } from "zod";
import type { ContractTarget } from "./target.js";

export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  token?: string | undefined;
  /** Raw text to send instead of JSON-encoding `body`. */
  raw?: string;
  headers?: Record<string, string>;
}

/** A signed-in user the suite registered, with the token the API gave it. */
export interface Account extends UserBody {
  password: string;
}

/** Unique per run and per process, so runs never collide with each other or with old data. */
export const runId = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
let sequence = 0;
/** A name no earlier run and no other test of this run has used. */
export function unique(prefix: string): string {
  sequence += 1;
  return `${prefix}_${runId}_${sequence}`;
}

/** A thin JSON client over a target, with helpers that set up data through the API itself. */
export class ConduitClient {
  constructor(readonly target: ContractTarget) {}

  async send<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
    if (options.token) headers.Authorization = `Token ${options.token}`;
    let payload: string | undefined;
    if (options.raw !== undefined) payload = options.raw;
    else if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers["Content-Type"] ??= "application/json";
    const response = await this.target.request(path, {
      method,
      headers,
      ...(payload === undefined ? {} : { body: payload }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get = <T = unknown>(path: string, token?: string) => this.send<T>("GET", path, undefined, { token });
  post = <T = unknown>(path: string, body?: unknown, token?: string) => this.send<T>("POST", path, body, { token });
  put = <T = unknown>(path: string, body?: unknown, token?: string) => this.send<T>("PUT", path, body, { token });
  delete = <T = unknown>(path: string, token?: string) => this.send<T>("DELETE", path, undefined, { token });

  async register(overrides: Partial<{ username: string; email: string; password: string }> = {}): Promise<Account> {
    const username = overrides.username ?? unique("user");
    const user = {
      username,
      email: overrides.email ?? `${username}@example.com`,
      password: overrides.password ?? "password123",
    };
    const reply = await this.post("/api/users", { user });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    return { ...expectShape(UserResponse, reply.body).user, password: user.password };
  }

  async createArticle(
    author: Account,
    overrides: Partial<{ title: string; description: string; body: string; tagList: string[] }> = {},
  ): Promise<ArticleBody> {
    const article = {
      title: overrides.title ?? unique("Title"),
      description: overrides.description ?? "A description",
      body: overrides.body ?? "The body of the article.",
      ...(overrides.tagList ? { tagList: overrides.tagList } : {}),
    };
    const reply = await this.post("/api/articles", { article }, author.token);
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    return expectShape(SingleArticleResponse, reply.body).article;
  }

  async getArticle(slug: string, token?: string): Promise<ArticleBody> {
    const reply = await this.get(`/api/articles/${encodeURIComponent(slug)}`, token);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return expectShape(SingleArticleResponse, reply.body).article;
  }

  async addComment(author: Account, slug: string, body = "A comment."): Promise<CommentBody> {
    const reply = await this.post(
      `/api/articles/${encodeURIComponent(slug)}/comments`,
      { comment: { body } },
      author.token,
    );
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    return expectShape(SingleCommentResponse, reply.body).comment;
  }

  async follow(follower: Account, username: string): Promise<ProfileBody> {
    const reply = await this.post<{ profile: ProfileBody }>(
      `/api/profiles/${encodeURIComponent(username)}/follow`,
      undefined,
      follower.token,
    );
    expect(reply.status).toBe(200);
    return reply.body.profile;
  }

  async favorite(user: Account, slug: string): Promise<ArticleBody> {
    const reply = await this.post(`/api/articles/${encodeURIComponent(slug)}/favorite`, undefined, user.token);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return expectShape(SingleArticleResponse, reply.body).article;
  }

  /** A token signed with the target's secret, for tests of expiry and unknown users. */
  forgeToken(payload: Record<string, unknown>, secret = this.target.jwtSecret): string {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const unsigned = `${encode({ alg: "HS256", typ: "JWT" })}.${encode(payload)}`;
    return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
  }
}

/** Asserts that a body matches a contract schema exactly (no missing and no extra fields). */
export function expectShape<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (!result.success) {
    expect.fail(`response does not match the contract: ${result.error.message}\nbody: ${JSON.stringify(body)}`);
  }
  return result.data;
}

/** Asserts a RealWorld error: the status and exactly `{"errors": {key: [message]}}`. */
export function expectError(reply: Reply, status: number, key: string, message?: string): void {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  const body = expectShape(GenericError, reply.body);
  expect(Object.keys(body.errors), JSON.stringify(reply.body)).toContain(key);
  const list = body.errors[key] ?? [];
  expect(list.length).toBeGreaterThan(0);
  for (const item of list) expect(typeof item).toBe("string");
  if (message !== undefined) expect(list).toContain(message);
}

export const path = {
  article: (slug: string) => `/api/articles/${encodeURIComponent(slug)}`,
  favorite: (slug: string) => `/api/articles/${encodeURIComponent(slug)}/favorite`,
  comments: (slug: string) => `/api/articles/${encodeURIComponent(slug)}/comments`,
  comment: (slug: string, id: number | string) => `/api/articles/${encodeURIComponent(slug)}/comments/${id}`,
  profile: (username: string) => `/api/profiles/${encodeURIComponent(username)}`,
  follow: (username: string) => `/api/profiles/${encodeURIComponent(username)}/follow`,
};
