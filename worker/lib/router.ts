import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { zodToFieldErrors } from "./errors";
import { problem } from "../middleware/errors";

/**
 * Every sub-app is built here so that a failed zod validation anywhere answers the same problem+json:
 * 400 for malformed params/query, 422 for a well-formed body with invalid fields.
 */
export function router() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const target = (result as { target?: string }).target;
      const status = target === "json" || target === "form" ? 422 : 400;
      return problem(c, status, status === 422 ? "Unprocessable Content" : "Bad Request", "The request is invalid", {
        errors: zodToFieldErrors(result.error),
      });
    },
  });
}

/** Standard problem+json responses for OpenAPI route definitions. */
export const problemResponses = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [
      s,
      {
        description: httpTitle(s),
        content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
      },
    ]),
  );

function httpTitle(s: number): string {
  return (
    { 400: "Bad request", 401: "Not authenticated", 403: "Role not allowed", 404: "Not found", 409: "Conflict", 413: "Too large", 415: "Unsupported media type", 422: "Invalid fields", 429: "Rate limited", 503: "Unavailable" } as Record<number, string>
  )[s] ?? "Error";
}

/**
 * The request's `custom.<key>…` query parameters, raw: custom field filters are open-ended (the workspace's registry
 * decides them), so lists, the board and exports read them here and services/custom-fields/query.ts checks them.
 */
export const customParams = (c: Context<AppEnv>): Record<string, string> =>
  Object.fromEntries(Object.entries(c.req.query()).filter(([k]) => k.startsWith("custom.")));
