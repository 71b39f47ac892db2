import { type FindOptions, type Includeable, type InferAttributes, literal, type ScopeOptions } from "sequelize";
import { Article, User } from "./models.js";

// Named scopes are Sequelize's reusable query pieces. The filters page the ids of a list (and
// count its matches) on their own; `asSeenBy` then loads the page's articles by id, so filters and
// the viewer's view are never merged. Filters join link rows with `duplicating: false` (they match
// at most one row per article) and select nothing from what they join (`attributes: []`): the
// paged ids query reads `articles.id` alone.

const userScopes = {
  /** A user as `viewerId` sees them: `followerLinks` holds the viewer's follow, if any. */
  profileFor: (viewerId: number | null): FindOptions<InferAttributes<User>> => ({
    attributes: ["id", "username", "bio", "image"],
    include:
      viewerId === null
        ? []
        : [
            {
              association: "followerLinks",
              where: { followerId: viewerId },
              required: false,
              duplicating: false,
              attributes: ["followerId"],
            },
          ],
  }),
};

// RAW SQL ESCAPE HATCH: a count of associated rows per article. Sequelize offers no per-row
// aggregate of an association that combines with `limit` and other to-many includes (`fn("count")`
// needs a GROUP BY that breaks the page); its docs compute such counts with a literal subquery.
// `"Article"` is the alias Sequelize gives the queried model, in the paged subquery too.
const favoritesCount = literal('(SELECT count(*)::int FROM favorites WHERE favorites.article_id = "Article".id)');

const articleScopes = {
  /** Articles with the tag `name`. */
  taggedWith: (name: string): FindOptions<InferAttributes<Article>> => ({
    include: [
      {
        association: "tagLinks",
        attributes: [],
        required: true,
        duplicating: false,
        include: [{ association: "tag", attributes: [], where: { name } }],
      },
    ],
  }),

  /** Articles written by `username`. */
  writtenBy: (username: string): FindOptions<InferAttributes<Article>> => ({
    include: [{ association: "author", attributes: [], where: { username } }],
  }),

  /** Articles that `username` favorited. */
  favoritedBy: (username: string): FindOptions<InferAttributes<Article>> => ({
    include: [
      {
        association: "fans",
        attributes: [],
        through: { attributes: [] },
        where: { username },
        duplicating: false,
      },
    ],
  }),

  /**
   * Articles by any of `authorIds`: the feed, given the viewer's followee ids. A plain
   * `author_id IN (<values>)`: the include of author -> followers made PostgreSQL walk the
   * created_at index probing follows per article (README, "Pitfalls, measured").
   */
  writtenByAnyOf: (authorIds: number[]): FindOptions<InferAttributes<Article>> => ({
    where: { authorId: authorIds },
  }),

  /** Everything an article response needs, as `viewerId` sees it. */
  asSeenBy: (viewerId: number | null): FindOptions<InferAttributes<Article>> => ({
    attributes: { include: [[favoritesCount, "favoritesCount"]] },
    include: [
      authorAsSeenBy(viewerId),
      { association: "tags", attributes: ["name"], through: { attributes: [] } },
      ...(viewerId === null
        ? []
        : [
            {
              association: "favoriteLinks",
              where: { userId: viewerId },
              required: false,
              duplicating: false,
              attributes: ["userId"],
            },
          ]),
    ],
  }),
};

/** Registers the scopes on the models (again after a re-`init`, which drops them). */
export function addScopes(): void {
  for (const [name, scope] of Object.entries(userScopes)) User.addScope(name, scope, { override: true });
  for (const [name, scope] of Object.entries(articleScopes)) Article.addScope(name, scope, { override: true });
}

// Sequelize names scopes with strings and takes their arguments untyped: these handles check both.

export function userScope<N extends keyof typeof userScopes>(
  name: N,
  ...args: Parameters<(typeof userScopes)[N]>
): ScopeOptions {
  return { method: [name, ...args] };
}

export function articleScope<N extends keyof typeof articleScopes>(
  name: N,
  ...args: Parameters<(typeof articleScopes)[N]>
): ScopeOptions {
  return { method: [name, ...args] };
}

/** The `author` include of articles and comments: the author's profile as `viewerId` sees it. */
export function authorAsSeenBy(viewerId: number | null): Includeable {
  return { model: User.scope(userScope("profileFor", viewerId)), as: "author" };
}
