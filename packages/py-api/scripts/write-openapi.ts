// Writes the contract's OpenAPI document (packages/contract) where the Python layer serves it from:
// the Python apps answer /api/openapi.json with exactly the TypeScript apps' document.
// `npm run openapi` in packages/py-api; test/openapi.test.ts fails when it is out of date.
import { writeFileSync } from "node:fs";
import { buildOpenApiDocument } from "@arena/contract";

export const OPENAPI_FILE = new URL("../src/arena_api/openapi.json", import.meta.url);

export function openApiText(): string {
  return `${JSON.stringify(buildOpenApiDocument())}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(OPENAPI_FILE, openApiText());
  console.log("wrote src/arena_api/openapi.json");
}
