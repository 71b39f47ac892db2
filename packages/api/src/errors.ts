import { messages } from "@arena/contract";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** A RealWorld error response: `{"errors": {"<key>": ["<message>", ...]}}` with its status. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly errors: Record<string, string[]>,
  ) {
    super(
      Object.entries(errors)
        .map(([key, list]) => `${key} ${list.join(", ")}`)
        .join("; "),
    );
    this.name = "ApiError";
  }

  get body(): { errors: Record<string, string[]> } {
    return { errors: this.errors };
  }
}

const single = (status: ContentfulStatusCode, key: string, message: string) =>
  new ApiError(status, { [key]: [message] });

export const missingToken = () => single(401, "token", messages.missingToken);
export const invalidToken = () => single(401, "token", messages.invalidToken);
export const invalidCredentials = () => single(401, "credentials", messages.invalidCredentials);
export const forbidden = (resource: "article" | "comment") => single(403, resource, messages.forbidden);
export const notFound = (resource: "article" | "profile" | "comment" | "route" | "user") =>
  single(404, resource, messages.notFound);
export const taken = (field: string) => single(409, field, messages.taken);
export const invalidJson = () => single(422, "request", messages.invalidJson);
export const invalid = (errors: Record<string, string[]>) => new ApiError(422, errors);
/** 503 while the database cannot answer: down or unreachable, or a statement ran past its timeout. */
export const databaseUnavailable = (failure: "unavailable" | "timeout") =>
  single(503, "database", failure === "timeout" ? messages.databaseTimeout : messages.databaseUnavailable);
