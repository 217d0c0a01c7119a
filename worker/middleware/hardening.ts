import { cors } from "hono/cors";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { type Config, loadConfig } from "../config";
import { securityHeaders, sentryOrigin } from "../lib/security-headers";
import { ProblemError, ValidationError } from "../lib/errors";

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

/**
 * `Cache-Control: no-store` on every API answer: they carry tokens (sign-in, change-password), secrets shown once
 * and workspace data, none of which a browser, proxy or shared cache may keep. A route may choose its own policy
 * only for an unauthenticated answer (public branding); anything answered to a signed-in caller is never stored.
 */
export const noStore = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const current = c.res.headers.get("Cache-Control");
  if (current && (/\bno-store\b/i.test(current) || !c.get("auth"))) return;
  try {
    c.res.headers.set("Cache-Control", "no-store");
  } catch {
    c.res = new Response(c.res.body, c.res);
    c.res.headers.set("Cache-Control", "no-store");
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
        allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id", "If-Match", "X-Requested-With", "Mcp-Protocol-Version", "Mcp-Session-Id", "Last-Event-ID"],
        exposeHeaders: ["X-Request-Id", "Retry-After", "Location", "Content-Disposition", "ETag", "Idempotent-Replayed", "Idempotent-Redacted", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy", "Mcp-Session-Id"],
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
/** No request object of ours has more than a few dozen fields; thousands of keys are an attack on the validator. */
export const JSON_MAX_OBJECT_KEYS = 1_000;

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
        if (counts.length === 0) break;
        if (isArray[isArray.length - 1]) {
          if (++counts[counts.length - 1]! >= JSON_MAX_ARRAY_ITEMS) {
            return { status: 413, detail: `A JSON array in the body has more than ${JSON_MAX_ARRAY_ITEMS} items` };
          }
        } else if (++counts[counts.length - 1]! >= JSON_MAX_OBJECT_KEYS) {
          return { status: 413, detail: `A JSON object in the body has more than ${JSON_MAX_OBJECT_KEYS} fields` };
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

const NUL_MESSAGE = "must not contain a NUL character (\\u0000)";

/** The dotted path of the first string (value or key) holding a NUL character, or null. */
export function nulPath(value: unknown, at: string[] = []): string | null {
  if (typeof value === "string") return value.includes("\0") ? at.join(".") || "(body)" : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i], [...at, String(i)]);
      if (found !== null) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes("\0")) return [...at, k.replaceAll("\0", "\\u0000")].join(".");
      const found = nulPath(v, [...at, k]);
      if (found !== null) return found;
    }
  }
  return null;
}

/**
 * Refuses a NUL character anywhere in the query, the path or a JSON body, naming the field. Postgres text cannot
 * hold one (it fails with SQLSTATE 22021), and no field of a CRM has a use for it; checking here covers every route
 * and every string schema at once, including ones added later. Runs after auth, so a stranger still gets 401 first.
 */
export const nulGuard = createMiddleware<AppEnv>(async (c, next) => {
  const url = new URL(c.req.url);
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    path = url.pathname; // malformed escapes: left to the router (404) or the param validator (400)
  }
  if (path.includes("\0")) throw new ValidationError("The URL path contains a NUL character", [{ path: "(path)", message: NUL_MESSAGE }], 400);
  for (const [name, value] of url.searchParams) {
    if (name.includes("\0") || value.includes("\0")) {
      throw new ValidationError(`The query parameter ${name.replaceAll("\0", "\\u0000")} contains a NUL character`, [{ path: name.replaceAll("\0", "\\u0000"), message: NUL_MESSAGE }], 400);
    }
  }
  const type = c.req.header("Content-Type") ?? "";
  if (c.req.raw.body && /^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    const text = await c.req.text();
    // A cheap scan first: only a body that spells \u0000 somewhere is parsed to find the field.
    if (/\\u0000/i.test(text)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return next(); // malformed JSON: the route's validator answers 400
      }
      const at = nulPath(parsed);
      if (at !== null) throw new ValidationError(`The field ${at} contains a NUL character`, [{ path: at, message: NUL_MESSAGE }]);
    }
  }
  await next();
});
