import { cors } from "hono/cors";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { type Config, loadConfig } from "../config";
import { securityHeaders, sentryOrigin } from "../lib/security-headers";
import { ProblemError, ValidationError } from "./errors";

const headerCache = new WeakMap<Config, Record<string, string>>();

function headersFor(config: Config | undefined): Record<string, string> {
  if (!config) return securityHeaders();
  let h = headerCache.get(config);
  if (!h) {
    h = securityHeaders([...config.CORS_ORIGINS, sentryOrigin(config.SENTRY_DSN) ?? ""]);
    headerCache.set(config, h);
  }
  return h;
}

/**
 * Security headers on everything the Worker answers: API responses, problems, the misconfiguration 503 and static
 * files it passes through (SPA fallback). Runs first, so nothing leaves without them.
 */
export const securityHeadersMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const loaded = loadConfig(c.env);
  const headers = headersFor(loaded.ok ? loaded.config : undefined);
  const apply = (res: Response) => {
    for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
  };
  try {
    apply(c.res);
  } catch {
    // Responses from the assets binding have immutable headers: the context copies them into a mutable one.
    c.res = new Response(c.res.body, c.res);
    apply(c.res);
  }
});

const corsCache = new WeakMap<Config, { bearer: MiddlewareHandler; session: MiddlewareHandler }>();

/**
 * CORS only when CORS_ORIGINS lists origins (the SPA on Pages); the same-origin deployment sends no CORS headers at
 * all. Runs before authentication so a preflight (which carries no token) is answered here. Credentials are allowed
 * for the listed origins on /api/auth/* only: sign-in sets and refresh reads the HttpOnly refresh cookie, which must
 * work for the SPA on Pages; every other route takes Bearer tokens and never cookies.
 */
export const corsMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  const loaded = loadConfig(c.env);
  if (!loaded.ok || loaded.config.CORS_ORIGINS.length === 0) return next();
  let handlers = corsCache.get(loaded.config);
  if (!handlers) {
    const options = (credentials: boolean) =>
      cors({
        origin: loaded.config.CORS_ORIGINS,
        allowMethods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
        allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id", "If-Match", "X-Requested-With"],
        exposeHeaders: ["X-Request-Id", "Retry-After", "Location", "Content-Disposition", "ETag", "Idempotent-Replayed"],
        maxAge: 600,
        credentials,
      });
    handlers = { bearer: options(false), session: options(true) };
    corsCache.set(loaded.config, handlers);
  }
  return (c.req.path.startsWith("/api/auth/") ? handlers.session : handlers.bearer)(c, next);
});

/** Routes that take files (attachments, CSV imports) rather than JSON. Owned by their modules; matched by path here. */
export const isUploadPath = (path: string) => /\/(attachments|imports?)(\/|$)/.test(path);

/** Multipart framing and form fields around the file itself. */
const MULTIPART_OVERHEAD = 64 * 1024;

/**
 * A body limit on every route: JSON_BODY_MAX_BYTES (1 MiB) for JSON, UPLOAD_MAX_BYTES plus multipart overhead for
 * upload routes. Declared sizes are refused before a byte is read; streamed bodies are counted as they arrive.
 */
export const bodyLimits = createMiddleware<AppEnv>(async (c, next) => {
  const { config } = c.var;
  const upload = isUploadPath(c.req.path);
  const maxSize = upload ? config.UPLOAD_MAX_BYTES + MULTIPART_OVERHEAD : config.JSON_BODY_MAX_BYTES;
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new ProblemError(413, "Content Too Large", `The request body exceeds ${maxSize} bytes${upload ? " (UPLOAD_MAX_BYTES plus form overhead)" : ""}`);
    },
  })(c, next);
});

export const JSON_MAX_DEPTH = 20;
export const JSON_MAX_ARRAY_ITEMS = 10_000;

/**
 * Finds the first structural problem in a JSON text in one pass without parsing it (so a hostile document costs
 * O(length), never deep recursion). Malformed JSON is left to the route's validator, which answers 400.
 */
export function jsonShapeProblem(text: string): { status: 400 | 413; detail: string } | null {
  const counts: number[] = [];
  const isArray: boolean[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92 /* \ */) i++;
      else if (ch === 34 /* " */) inString = false;
      continue;
    }
    switch (ch) {
      case 34:
        inString = true;
        break;
      case 91: // [
      case 123: // {
        if (counts.length >= JSON_MAX_DEPTH) {
          return { status: 400, detail: `The JSON body is nested more than ${JSON_MAX_DEPTH} levels deep` };
        }
        counts.push(0);
        isArray.push(ch === 91);
        break;
      case 93: // ]
      case 125: // }
        counts.pop();
        isArray.pop();
        break;
      case 44: // ,
        if (isArray[isArray.length - 1] && ++counts[counts.length - 1]! >= JSON_MAX_ARRAY_ITEMS) {
          return { status: 413, detail: `A JSON array in the body has more than ${JSON_MAX_ARRAY_ITEMS} items` };
        }
        break;
    }
  }
  return null;
}

/** Depth and array-length limits for JSON bodies, checked before any validator parses them. */
export const jsonLimits = createMiddleware<AppEnv>(async (c, next) => {
  const type = c.req.header("Content-Type") ?? "";
  if (c.req.raw.body && /^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    const problem = jsonShapeProblem(await c.req.text());
    if (problem) {
      throw problem.status === 413
        ? new ProblemError(413, "Content Too Large", problem.detail)
        : new ValidationError(problem.detail, [{ path: "(body)", message: problem.detail }], 400);
    }
  }
  await next();
});
