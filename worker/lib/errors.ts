import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";

export interface FieldError {
  path: string;
  message: string;
  code?: string;
}

/** An error a route may throw: rendered as problem+json with its status. Anything else becomes a 500. */
export class ProblemError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly title: string,
    readonly detail?: string,
    readonly extra: { errors?: FieldError[]; [k: string]: unknown } = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
  }
}

export class NotFoundError extends ProblemError {
  constructor(what = "Resource") {
    super(404, "Not Found", `${what} not found`);
  }
}

export class ConflictError extends ProblemError {
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super(409, "Conflict", detail, extra);
  }
}

export class ValidationError extends ProblemError {
  constructor(detail: string, errors: FieldError[] = [], status: ContentfulStatusCode = 422) {
    super(status, status === 400 ? "Bad Request" : "Unprocessable Content", detail, { errors });
  }
}

export class UnauthorizedError extends ProblemError {
  constructor(detail = "Authentication required") {
    super(401, "Unauthorized", detail, {}, { "WWW-Authenticate": 'Bearer realm="bespoke-crm"' });
  }
}

export class ForbiddenError extends ProblemError {
  constructor(detail = "Your role does not allow this action") {
    super(403, "Forbidden", detail);
  }
}

/**
 * At most this many field errors in one answer. A hostile body (a megabyte of unknown keys) would otherwise turn a
 * 1 MB request into a 9 MB error list; a person fixing a form never needs more than the first few dozen.
 */
export const MAX_FIELD_ERRORS = 50;

/** Caps a field-error list; a last entry says how many were left out, so the client knows the list is partial. */
export function capFieldErrors(errors: FieldError[], total = errors.length): FieldError[] {
  if (total <= MAX_FIELD_ERRORS) return errors;
  const kept = errors.slice(0, MAX_FIELD_ERRORS - 1);
  return [...kept, { path: "(body)", message: `and ${total - kept.length} more problems not listed`, code: "too_many_errors" }];
}

export function zodToFieldErrors(err: ZodError): FieldError[] {
  const out: FieldError[] = [];
  let total = 0;
  for (const i of err.issues) {
    const at = i.path.join(".");
    // One entry per unknown key, so a client can point at the offending field itself.
    const entries = i.code === "unrecognized_keys" ? i.keys.length : 1;
    for (let k = 0; k < entries && out.length < MAX_FIELD_ERRORS; k++) {
      out.push(
        i.code === "unrecognized_keys"
          ? { path: at ? `${at}.${i.keys[k]}` : i.keys[k]!, message: "is not a known field", code: i.code }
          : { path: at || "(body)", message: i.message, code: i.code },
      );
    }
    total += entries;
  }
  return capFieldErrors(out, total);
}
