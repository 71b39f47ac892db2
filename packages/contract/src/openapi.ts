import { z } from "zod";
import * as schemas from "./schemas.js";

/**
 * The OpenAPI 3.1 document of the API, generated from the zod schemas of this package (never
 * copied from the RealWorld repository), so the document and the validation cannot drift apart.
 * Every app serves it at `GET /api/openapi.json`.
 */
export function buildOpenApiDocument(): Record<string, unknown> {
  const components = z.toJSONSchema(z.globalRegistry, {
    target: "draft-2020-12",
    io: "input",
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: "any",
  }).schemas;
  for (const schema of Object.values(components)) {
    delete schema.$schema;
    delete schema.$id;
  }

  const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
  const json = (schema: unknown) => ({ "application/json": { schema } });
  const envelope = (key: string, id: string) => ({
    type: "object",
    required: [key],
    properties: { [key]: ref(id) },
  });
  const body = (key: string, id: string, description: string) => ({
    required: true,
    description,
    content: json(envelope(key, id)),
  });
  const ok = (id: string, description: string) => ({ description, content: json(ref(id)) });
  const error = (description: string) => ({ description, content: json(ref("GenericErrorModel")) });
  const errors = (...codes: Array<401 | 403 | 404 | 409 | 422>) =>
    Object.fromEntries(
      codes.map((code) => [
        String(code),
        error(
          {
            401: "Missing or invalid token, or invalid credentials",
            403: "Not the owner of the resource",
            404: "The article, profile or comment does not exist",
            409: "Username or email already taken",
            422: "Invalid request",
          }[code],
        ),
      ]),
    );
  const auth = [{ Token: [] }];
  const optionalAuth = [{ Token: [] }, {}];
  const pathParam = (name: string, schema: unknown, description: string) => ({
    name,
    in: "path",
    required: true,
    description,
    schema,
  });
  const slug = pathParam("slug", { type: "string" }, "Slug of the article");
  const username = pathParam("username", { type: "string" }, "Username of the profile");
  const page = [
    {
      name: "limit",
      in: "query",
      description: "Number of articles to return",
      schema: { type: "integer", minimum: 1, maximum: schemas.LIMIT_MAX, default: schemas.LIMIT_DEFAULT },
    },
    {
      name: "offset",
      in: "query",
      description: "Number of articles to skip",
      schema: { type: "integer", minimum: 0, maximum: schemas.OFFSET_MAX, default: 0 },
    },
  ];
  const filter = (name: string, description: string) => ({
    name,
    in: "query",
    description,
    schema: { type: "string", minLength: 1 },
  });
  const noContent = { description: "No content" };

  return {
    openapi: "3.1.0",
    info: {
      title: "RealWorld Conduit API (orm-arena)",
      version: "2.0.0",
      description:
        "The RealWorld Conduit API v2.0.0 as every orm-arena app serves it. Errors are " +
        '`{"errors": {"<field>": ["<message>"]}}`. Authenticate with `Authorization: Token <jwt>`.',
      license: { name: "MIT License", url: "https://opensource.org/licenses/MIT" },
    },
    servers: [{ url: "/api" }],
    paths: {
      "/users/login": {
        post: {
          operationId: "Login",
          tags: ["User and Authentication"],
          requestBody: body("user", "LoginUser", "Credentials to use"),
          responses: { 200: ok("UserResponse", "The user, with a new token"), ...errors(401, 422) },
        },
      },
      "/users": {
        post: {
          operationId: "CreateUser",
          tags: ["User and Authentication"],
          requestBody: body("user", "NewUser", "Details of the new user"),
          responses: { 201: ok("UserResponse", "The new user"), ...errors(409, 422) },
        },
      },
      "/user": {
        get: {
          operationId: "GetCurrentUser",
          tags: ["User and Authentication"],
          security: auth,
          responses: { 200: ok("UserResponse", "The current user"), ...errors(401) },
        },
        put: {
          operationId: "UpdateCurrentUser",
          tags: ["User and Authentication"],
          security: auth,
          requestBody: body("user", "UpdateUser", "Fields to change; at least one"),
          responses: { 200: ok("UserResponse", "The updated user"), ...errors(401, 409, 422) },
        },
      },
      "/profiles/{username}": {
        get: {
          operationId: "GetProfileByUsername",
          tags: ["Profile"],
          security: optionalAuth,
          parameters: [username],
          responses: { 200: ok("ProfileResponse", "The profile"), ...errors(401, 404) },
        },
      },
      "/profiles/{username}/follow": {
        post: {
          operationId: "FollowUserByUsername",
          tags: ["Profile"],
          security: auth,
          parameters: [username],
          responses: { 200: ok("ProfileResponse", "The followed profile"), ...errors(401, 404) },
        },
        delete: {
          operationId: "UnfollowUserByUsername",
          tags: ["Profile"],
          security: auth,
          parameters: [username],
          responses: { 200: ok("ProfileResponse", "The unfollowed profile"), ...errors(401, 404) },
        },
      },
      "/articles/feed": {
        get: {
          operationId: "GetArticlesFeed",
          tags: ["Articles"],
          security: auth,
          parameters: page,
          responses: {
            200: ok("MultipleArticlesResponse", "Articles by followed authors, newest first"),
            ...errors(401, 422),
          },
        },
      },
      "/articles": {
        get: {
          operationId: "GetArticles",
          tags: ["Articles"],
          security: optionalAuth,
          parameters: [
            filter("tag", "Only articles with this tag"),
            filter("author", "Only articles by this username"),
            filter("favorited", "Only articles favorited by this username"),
            ...page,
          ],
          responses: {
            200: ok("MultipleArticlesResponse", "Articles, newest first; articlesCount counts all matches"),
            ...errors(401, 422),
          },
        },
        post: {
          operationId: "CreateArticle",
          tags: ["Articles"],
          security: auth,
          requestBody: body("article", "NewArticle", "Article to create"),
          responses: { 201: ok("SingleArticleResponse", "The new article"), ...errors(401, 422) },
        },
      },
      "/articles/{slug}": {
        get: {
          operationId: "GetArticle",
          tags: ["Articles"],
          security: optionalAuth,
          parameters: [slug],
          responses: { 200: ok("SingleArticleResponse", "The article"), ...errors(401, 404) },
        },
        put: {
          operationId: "UpdateArticle",
          tags: ["Articles"],
          security: auth,
          parameters: [slug],
          requestBody: body("article", "UpdateArticle", "Fields to change; tagList [] clears the tags"),
          responses: {
            200: ok("SingleArticleResponse", "The updated article"),
            ...errors(401, 403, 404, 422),
          },
        },
        delete: {
          operationId: "DeleteArticle",
          tags: ["Articles"],
          security: auth,
          parameters: [slug],
          responses: { 204: noContent, ...errors(401, 403, 404) },
        },
      },
      "/articles/{slug}/comments": {
        get: {
          operationId: "GetArticleComments",
          tags: ["Comments"],
          security: optionalAuth,
          parameters: [slug],
          responses: { 200: ok("MultipleCommentsResponse", "Comments, newest first"), ...errors(401, 404) },
        },
        post: {
          operationId: "CreateArticleComment",
          tags: ["Comments"],
          security: auth,
          parameters: [slug],
          requestBody: body("comment", "NewComment", "Comment to create"),
          responses: { 201: ok("SingleCommentResponse", "The new comment"), ...errors(401, 404, 422) },
        },
      },
      "/articles/{slug}/comments/{id}": {
        delete: {
          operationId: "DeleteArticleComment",
          tags: ["Comments"],
          security: auth,
          parameters: [slug, pathParam("id", { type: "integer", minimum: 1 }, "Id of the comment")],
          responses: { 204: noContent, ...errors(401, 403, 404, 422) },
        },
      },
      "/articles/{slug}/favorite": {
        post: {
          operationId: "CreateArticleFavorite",
          tags: ["Favorites"],
          security: auth,
          parameters: [slug],
          responses: { 200: ok("SingleArticleResponse", "The favorited article"), ...errors(401, 404) },
        },
        delete: {
          operationId: "DeleteArticleFavorite",
          tags: ["Favorites"],
          security: auth,
          parameters: [slug],
          responses: { 200: ok("SingleArticleResponse", "The unfavorited article"), ...errors(401, 404) },
        },
      },
      "/tags": {
        get: {
          operationId: "GetTags",
          tags: ["Tags"],
          responses: { 200: ok("TagsResponse", "Every tag, in alphabetical order") },
        },
      },
    },
    components: {
      schemas: components,
      securitySchemes: {
        Token: {
          type: "apiKey",
          in: "header",
          name: "Authorization",
          description: "`Token <jwt>` (`Bearer <jwt>` is accepted too), from POST /users or /users/login.",
        },
      },
    },
  };
}
