import type { Context } from "hono";
import type { z } from "zod";
import { invalid, invalidJson, notFound } from "./errors.js";

/**
 * Parses a JSON request body with a contract schema. Any failure is a 422 with RealWorld errors
 * keyed by field: `{"errors": {"email": ["can't be blank"]}}`.
 *
 * @param envelope the body's top-level key (`user`, `article`, `comment`), used as the error key
 *   when the body is not an object at all.
 */
export async function readBody<T extends z.ZodType>(c: Context, schema: T, envelope: string): Promise<z.infer<T>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw invalidJson();
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw invalid({ [envelope]: ["can't be blank"] });
  }
  return parse(schema, raw, envelope);
}

/** Validates already-decoded input (query or path parameters) with a contract schema. */
export function parse<T extends z.ZodType>(schema: T, input: unknown, fallbackKey: string): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    // `["user", "email"]` is reported as `email`; `["article", "tagList", 2]` as `tagList`.
    const named = issue.path.filter((part): part is string => typeof part === "string");
    const key = named[1] ?? named[0] ?? fallbackKey;
    const list = errors[key] ?? [];
    if (!list.includes(issue.message)) list.push(issue.message);
    errors[key] = list;
  }
  throw invalid(errors);
}

/**
 * A slug or username from the path. Text with a NUL character or a lone surrogate cannot be
 * stored in PostgreSQL, so nothing can be found by it: answer 404 without asking the database
 * (which would reject the one and silently replace the other).
 */
export function pathKey(c: Context, name: "slug" | "username"): string {
  const value = c.req.param(name) ?? "";
  if (value.includes("\u0000") || /\p{Surrogate}/u.test(value)) throw notFound(name === "slug" ? "article" : "profile");
  return value;
}
