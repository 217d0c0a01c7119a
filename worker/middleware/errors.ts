import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ZodError } from "zod";
import { ConflictError, ProblemError, ValidationError, capFieldErrors, zodToFieldErrors, type FieldError } from "../lib/errors";

/** The problem+json document (RFC 9457) of an error: what `problem` sends, and what /mcp tools answer with. */
export function problemBody(status: number, title: string, detail: string | undefined, requestId: string | null, extra: Record<string, unknown> = {}) {
  const code = title.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return {
    type: `https://bespoke-crm.dev/problems/${code}`,
    title,
    status,
    detail: detail ?? title,
    requestId,
    ...extra,
    ...(Array.isArray(extra.errors) ? { errors: capFieldErrors(extra.errors as FieldError[]) } : {}),
  };
}

/** Renders errors as problem+json. The error classes themselves live in worker/lib/errors.ts. */
export function problem(
  c: Context,
  status: ContentfulStatusCode,
  title: string,
  detail?: string,
  extra: Record<string, unknown> = {},
) {
  const requestId = (c.get("requestId" as never) as string | undefined) ?? null;
  const body = problemBody(status, title, detail, requestId, extra);
  // The request log reports it; a more specific code set earlier (e.g. "internal") wins.
  if (!c.get("errorCode" as never)) c.set("errorCode" as never, body.type.slice(body.type.lastIndexOf("/") + 1) as never);
  return c.newResponse(JSON.stringify(body), status, { "Content-Type": "application/problem+json" });
}

/** `accounts_owner_id_fkey` on `accounts` → `ownerId`: the field a client sent, never the constraint's name. */
function fieldOfForeignKey(constraint: string | undefined, table: string | undefined): string {
  if (!constraint || !table || !constraint.startsWith(`${table}_`) || !constraint.endsWith("_fkey")) return "reference";
  return constraint.slice(table.length + 1, -"_fkey".length).replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());
}

/** Postgres errors that user input can cause, mapped to what the user did wrong (never SQL text or schema names). */
function fromPostgres(err: unknown): ProblemError | undefined {
  let e: unknown = err;
  for (let depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) {
      const { constraint, table } = e as { constraint?: string; table?: string };
      switch (code) {
        case "23505":
          return new ConflictError(constraint?.includes("external_id") ? "A record with this externalId already exists" : "This record already exists");
        case "23503":
          return new ValidationError("A referenced record does not exist", [{ path: fieldOfForeignKey(constraint, table), message: "not found" }]);
        case "22P02":
        case "22007":
        case "22008":
          return new ValidationError("A value has the wrong format", [], 400);
        // A NUL byte (or invalid UTF-8) that slipped past the validators: the input is at fault, not the server.
        case "22021":
          return new ValidationError("A text value contains a NUL character or invalid UTF-8", [{ path: "(body)", message: "must not contain NUL characters" }], 400);
        case "22003":
          return new ValidationError("A number is out of range", [], 422);
        case "40001":
        case "40P01":
          return new ConflictError("The record changed concurrently; retry the request");
        // statement_timeout (DB_STATEMENT_TIMEOUT_MS) cancelled a runaway query: the server's fault, said plainly.
        case "57014":
          return new ProblemError(
            503,
            "Service Unavailable",
            "The database took too long to answer this request, so it was stopped; try again, or narrow the request (fewer filters on unindexed fields, a smaller page)",
            { code: "statement_timeout" },
            { "Retry-After": "5" },
          );
      }
      return undefined;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The problem an error stands for when user input (or a refusal) caused it: thrown ProblemErrors, zod and Hono
 * errors, Postgres errors input can cause. Undefined for a bug, which the caller reports as a 500.
 */
export function knownProblem(err: unknown): ProblemError | undefined {
  if (err instanceof ProblemError) return err;
  if (err instanceof ZodError) return new ValidationError("The request is invalid", zodToFieldErrors(err), 400);
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    const title = status === 413 ? "Content Too Large" : status === 401 ? "Unauthorized" : "Bad Request";
    return new ProblemError(status, title, err.message || title);
  }
  return fromPostgres(err);
}

/** The single `app.onError`: every failure leaves as problem+json, and only 5xx are logged with their stack. */
export function renderError(err: unknown, c: Context) {
  const known = knownProblem(err);
  if (known) {
    for (const [k, v] of Object.entries(known.headers)) c.header(k, v);
    // A cancelled query is our performance problem, not the caller's input: it goes to the log like a 5xx.
    if (known !== err && known.status >= 500) console.warn(JSON.stringify({ level: "warn", msg: "database statement cancelled", requestId: c.get("requestId" as never), path: c.req.path, error: String(err) }));
    return problem(c, known.status, known.title, known.detail, known.extra);
  }
  c.set("errorCode" as never, "internal" as never);
  console.error(JSON.stringify({ level: "error", requestId: c.get("requestId" as never), error: String(err), stack: (err as Error)?.stack }));
  return problem(c, 500, "Internal Server Error", "Something went wrong on our side; the request id identifies it in the logs");
}
