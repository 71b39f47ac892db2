export { buildOpenApiDocument } from "./openapi.js";
export * from "./schemas.js";
