import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "../src/index.js";

describe("the generated OpenAPI document", () => {
  const document = buildOpenApiDocument() as {
    openapi: string;
    paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    components: { schemas: Record<string, unknown> };
  };

  it("is OpenAPI 3.1 with every RealWorld v2 operation", () => {
    expect(document.openapi).toBe("3.1.0");
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        "POST /users/login",
        "POST /users",
        "GET /user",
        "PUT /user",
        "GET /profiles/{username}",
        "POST /profiles/{username}/follow",
        "DELETE /profiles/{username}/follow",
        "GET /articles/feed",
        "GET /articles",
        "POST /articles",
        "GET /articles/{slug}",
        "PUT /articles/{slug}",
        "DELETE /articles/{slug}",
        "GET /articles/{slug}/comments",
        "POST /articles/{slug}/comments",
        "DELETE /articles/{slug}/comments/{id}",
        "POST /articles/{slug}/favorite",
        "DELETE /articles/{slug}/favorite",
        "GET /tags",
      ].sort(),
    );
  });

  it("resolves every $ref to a component schema", () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) expect(document.components.schemas).toHaveProperty(ref as string);
  });

  it("describes a list item without body and an article with it", () => {
    const item = document.components.schemas.ArticleListItem as { properties: object; required: string[] };
    const article = document.components.schemas.Article as { properties: object; required: string[] };
    expect(item.properties).not.toHaveProperty("body");
    expect(article.required).toContain("body");
    expect(item.required).toEqual(expect.arrayContaining(["slug", "tagList", "favoritesCount", "author"]));
  });
});
