/**
 * The use cases of the port: the methods of `ConduitStore` (packages/api/src/store.ts), read with
 * their documentation, and what the site puts beside each: the endpoints whose SQL it sends
 * (docs/sql.json) and the bench scenarios that exercise them (packages/bench/src/scenarios.ts).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "@arena/manifest";
import { parse } from "@babel/parser";

export interface UseCase {
  /** The port method (camelCase; the Python port's is its snake_case). */
  id: string;
  /** "List articles". */
  title: string;
  /** The port's section: Users, Profiles, Articles, … */
  section: string;
  /** The method's documentation in the port. */
  doc: string;
  /** The endpoints of docs/sql.json whose requests call the method. */
  endpoints: string[];
}

/**
 * Which endpoints of docs/sql.json call each port method. A request can call several (PUT an
 * article asks for its owner first): its SQL is all of theirs, as PostgreSQL saw it.
 */
export const ENDPOINTS_OF: Record<string, string[]> = {
  createUser: ["POST /api/users"],
  findCredentialsByEmail: ["POST /api/users/login"],
  findUserById: ["GET /api/user"],
  updateUser: ["PUT /api/user"],
  getProfile: ["GET /api/profiles/:username"],
  followUser: ["POST /api/profiles/:username/follow"],
  unfollowUser: ["DELETE /api/profiles/:username/follow"],
  listArticles: [
    "GET /api/articles",
    "GET /api/articles?offset=10",
    "GET /api/articles?offset= (deep page)",
    "GET /api/articles?tag=",
    "GET /api/articles?author=",
    "GET /api/articles?favorited=",
  ],
  listFeed: ["GET /api/articles/feed"],
  getArticle: ["GET /api/articles/:slug"],
  findArticleOwner: ["PUT /api/articles/:slug", "DELETE /api/articles/:slug"],
  createArticle: ["POST /api/articles"],
  updateArticle: ["PUT /api/articles/:slug", "PUT /api/articles/:slug (tagList)"],
  deleteArticle: ["DELETE /api/articles/:slug"],
  favoriteArticle: ["POST /api/articles/:slug/favorite"],
  unfavoriteArticle: ["DELETE /api/articles/:slug/favorite"],
  listComments: ["GET /api/articles/:slug/comments"],
  addComment: ["POST /api/articles/:slug/comments"],
  findCommentOwner: ["DELETE /api/articles/:slug/comments/:id"],
  deleteComment: ["DELETE /api/articles/:slug/comments/:id"],
  listTags: ["GET /api/tags"],
};

/** The endpoints each bench scenario sends (its request list, packages/bench/src/scenarios.ts). */
export const SCENARIO_ENDPOINTS: Record<string, string[]> = {
  articles: ["GET /api/articles"],
  "articles-tag": ["GET /api/articles?tag="],
  "articles-author": ["GET /api/articles?author="],
  "articles-favorited": ["GET /api/articles?favorited="],
  "articles-deep": ["GET /api/articles?offset= (deep page)"],
  article: ["GET /api/articles/:slug"],
  feed: ["GET /api/articles/feed"],
  comments: ["GET /api/articles/:slug/comments"],
  profile: ["GET /api/profiles/:username"],
  tags: ["GET /api/tags"],
  "create-article": ["POST /api/articles"],
  favorite: ["POST /api/articles/:slug/favorite", "DELETE /api/articles/:slug/favorite"],
  comment: ["POST /api/articles/:slug/comments"],
  mixed: [
    "GET /api/articles",
    "GET /api/articles?tag=",
    "GET /api/articles?author=",
    "GET /api/articles/:slug",
    "GET /api/articles/feed",
    "GET /api/articles/:slug/comments",
    "GET /api/profiles/:username",
    "GET /api/tags",
    "POST /api/articles",
    "POST /api/articles/:slug/favorite",
    "DELETE /api/articles/:slug/favorite",
    "POST /api/articles/:slug/comments",
  ],
};

/** The lifecycle methods (ping, close) serve no use case of the API. */
const LIFECYCLE = "Lifecycle";

/** "listArticles" → "List articles". */
export const titleOf = (id: string) => {
  const words = id.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`);
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The port's use cases, in the port's order, each with its endpoints (none when ENDPOINTS_OF lacks it). */
export function readPort(): UseCase[] {
  const source = readFileSync(join(repoRoot, "packages/api/src/store.ts"), "utf8");
  const ast = parse(source, { sourceType: "module", plugins: ["typescript"] });
  const port = ast.program.body
    .map((statement) => (statement.type === "ExportNamedDeclaration" ? statement.declaration : statement))
    .find((node) => node?.type === "TSInterfaceDeclaration" && node.id.name === "ConduitStore");
  if (port?.type !== "TSInterfaceDeclaration") throw new Error("packages/api/src/store.ts: no ConduitStore interface");
  const useCases: UseCase[] = [];
  let section = "";
  for (const member of port.body.body) {
    for (const comment of member.leadingComments ?? []) {
      const heading = /^\s*---\s*(\w[\w ]*?)\s*-+\s*$/.exec(comment.value);
      if (comment.type === "CommentLine" && heading) section = heading[1] as string;
    }
    if (member.type !== "TSMethodSignature" || member.key.type !== "Identifier" || section === LIFECYCLE) continue;
    const id = member.key.name;
    const jsdoc = (member.leadingComments ?? []).filter((comment) => comment.type === "CommentBlock").at(-1);
    const doc = (jsdoc?.value ?? "")
      .split("\n")
      .map((line) => line.replace(/^\s*\*\s?/, "").trim())
      .join(" ")
      .replace(/\{@link (\w+)\}/g, "$1")
      .trim();
    useCases.push({ id, title: titleOf(id), section, doc, endpoints: ENDPOINTS_OF[id] ?? [] });
  }
  return useCases;
}
