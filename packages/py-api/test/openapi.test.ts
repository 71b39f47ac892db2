import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { OPENAPI_FILE, openApiText } from "../scripts/write-openapi.js";

it("serves the contract's current OpenAPI document (run `npm run openapi` in packages/py-api after changing it)", () => {
  // Compared as JSON: the formatter may lay the file out as it likes.
  expect(JSON.parse(readFileSync(OPENAPI_FILE, "utf8"))).toEqual(JSON.parse(openApiText()));
});
