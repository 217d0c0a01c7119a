/*
 * The SPA's only HTTP client. Every call goes through `apiRequest`, which adds the bearer token (renewed through the
 * refresh cookie when it expires: see session.ts), turns `application/problem+json` responses into `ApiError`, and
 * sends the user to /login on a 401 that a renewal cannot cure.
 * `api(method, path, …)` is the typed form: path, parameters, body and answer are checked against the types generated
 * from the Worker's OpenAPI document (api-schema.d.ts, `npm run gen:api`).
 * New endpoints are one small typed function each, at the bottom of this file.
 */
import type {
  BodyOf,
  Branding,
  FieldError,
  LoginResponse,
  Pipeline,
  PipelineFilters,
  PipelineTotals,
  ProblemDetails,
  QueryOf,
  ResponseOf,
  StageCardsPage,
  User,
  paths,
} from "./api-types";
import { freshToken, RefreshUnreachableError, refreshAccessToken, tokenStore } from "./session";

const BASE_URL = (import.meta.env.VITE_API_URL ?? "").replace(/\/+$/, "");
export { tokenStore } from "./session";

// ---------------------------------------------------------------------------------------------------------
// Errors

/** A failed API call, carrying the server's problem details. `status` is 0 when the server was unreachable. */
export class ApiError extends Error implements ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly requestId?: string;
  readonly errors?: FieldError[];
  /**
   * Members of the problem beyond the standard ones, e.g. `current` (the newer record) on a 409 version
   * conflict.
   */
  readonly extensions: Record<string, unknown>;
  /** Seconds from a `Retry-After` header (429, 503), when the server sent one. */
  readonly retryAfterSeconds?: number;

  constructor(problem: ProblemDetails, extra: { extensions?: Record<string, unknown>; retryAfterSeconds?: number } = {}) {
    super(problem.detail || problem.title);
    this.name = "ApiError";
    this.type = problem.type;
    this.title = problem.title;
    this.status = problem.status;
    this.detail = problem.detail;
    this.requestId = problem.requestId ?? undefined;
    this.errors = problem.errors;
    this.extensions = extra.extensions ?? {};
    this.retryAfterSeconds = extra.retryAfterSeconds;
  }

  /** Validation messages keyed by field path, first message per field. */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.errors ?? []) out[e.path] ??= e.message;
    return out;
  }
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

/** A sentence fit for an alert, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.detail || error.title;
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong.";
}

// ---------------------------------------------------------------------------------------------------------
// 401 handling. The auth provider registers a handler that clears its state (RequireAuth then redirects
// inside the router); before it mounts, or outside React, fall back to a full page load.

type UnauthorizedHandler = (nextPath: string) => void;

const defaultUnauthorizedHandler: UnauthorizedHandler = (nextPath) => {
  window.location.assign(loginPath(nextPath));
};
let unauthorizedHandler = defaultUnauthorizedHandler;

/** Registers what happens after a 401 cleared the token. Returns the unregister function. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler): () => void {
  unauthorizedHandler = handler;
  return () => {
    if (unauthorizedHandler === handler) unauthorizedHandler = defaultUnauthorizedHandler;
  };
}

/** `/login?next=…`, leaving out `next` when it would point back at the login page itself. */
export function loginPath(nextPath?: string): string {
  if (!nextPath || nextPath === "/" || nextPath.startsWith("/login")) return "/login";
  return `/login?${new URLSearchParams({ next: nextPath })}`;
}

/** Only same-origin absolute paths may be used as a post-login destination (no `//evil.example`). */
export function safeNextPath(next: string | null | undefined, fallback = "/pipeline"): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return fallback;
  if (next.startsWith("/login")) return fallback;
  return next;
}

// ---------------------------------------------------------------------------------------------------------
// Writes: the query cache (query.ts) listens, to invalidate what a write changed.

type WriteListener = (method: string, path: string) => void;
const writeListeners = new Set<WriteListener>();

/** Called after every successful POST/PUT/PATCH/DELETE through `apiRequest`. Returns the unsubscribe function. */
export function onApiWrite(listener: WriteListener): () => void {
  writeListeners.add(listener);
  return () => void writeListeners.delete(listener);
}

// ---------------------------------------------------------------------------------------------------------
// Core request

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Serialised as JSON. FormData / Blob bodies are sent as is (uploads). */
  body?: unknown;
  /** Empty strings, null and undefined are left out. */
  query?: Record<string, QueryValue> | object;
  signal?: AbortSignal;
  /** Send the bearer token (default true). */
  auth?: boolean;
  /** "redirect" (default): clear the session and go to /login. "throw": just throw the ApiError. */
  on401?: "redirect" | "throw";
  headers?: Record<string, string>;
}

/** Absolute API URL with the query's non-empty values (for downloads and XHR uploads outside `apiRequest`). */
export function buildUrl(path: string, query?: RequestOptions["query"]): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {}) as [string, QueryValue][]) {
    if (value === undefined || value === null || value === "") continue;
    params.append(key, String(value));
  }
  const qs = params.toString();
  return `${BASE_URL}${path}${qs ? `?${qs}` : ""}`;
}

/** Retry-After as seconds: either a number of seconds or an HTTP date. */
function retryAfterSeconds(res: Response): number | undefined {
  const value = res.headers.get("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** Turns a failed response into an ApiError (for callers that fetch outside `apiRequest`). */
export async function readProblem(res: Response): Promise<ApiError> {
  const requestId = res.headers.get("x-request-id") ?? undefined;
  const contentType = res.headers.get("content-type") ?? "";
  const retryAfter = retryAfterSeconds(res);
  if (contentType.includes("json")) {
    try {
      const body = (await res.json()) as Partial<ProblemDetails> & Record<string, unknown>;
      if (body && typeof body === "object" && typeof body.title === "string") {
        const { type, title, status, detail, requestId: bodyRequestId, errors, ...extensions } = body;
        return new ApiError(
          {
            type: type ?? "about:blank",
            title: title as string,
            status: typeof status === "number" ? status : res.status,
            detail,
            requestId: bodyRequestId ?? requestId,
            errors: Array.isArray(errors) ? errors : undefined,
          },
          { extensions, retryAfterSeconds: retryAfter },
        );
      }
    } catch {
      /* fall through to the generic problem */
    }
  }
  return new ApiError({
    type: "about:blank",
    title: res.statusText || "Request failed",
    status: res.status,
    detail:
      res.status >= 500
        ? "The server had a problem handling this request. Try again in a moment."
        : `The request failed (HTTP ${res.status}).`,
    requestId,
  }, { retryAfterSeconds: retryAfter });
}

/** Low-level typed request; prefer the named functions below. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = "GET", body, query, signal, auth = true, on401 = "redirect" } = options;
  const headers: Record<string, string> = {
    Accept: "application/json, application/problem+json",
    ...options.headers,
  };
  let payload: BodyInit | undefined;
  if (body instanceof FormData || body instanceof Blob) {
    payload = body;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  // Sign-in answers set the refresh cookie: let the browser keep it even when the API is on another origin (Pages).
  const credentials: RequestCredentials = path.startsWith("/api/auth/") ? "include" : "same-origin";
  const send = async (token: string | null) => {
    if (token) headers.Authorization = `Bearer ${token}`;
    try {
      return await fetch(buildUrl(path, query), { method, headers, body: payload, signal, credentials });
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw new ApiError({
        type: "about:blank#network",
        title: "Network error",
        status: 0,
        detail: "Could not reach the server. Check your connection and try again.",
      });
    }
  };

  const token = auth ? await freshToken() : null;
  let res = await send(token);
  let sessionEnded = res.status === 401 && auth;
  if (sessionEnded && token !== null) {
    // Expired (or this tab's token was replaced): renew once and repeat the request, so the user stays on the page.
    let renewed: string | null;
    try {
      renewed = await refreshAccessToken();
    } catch (error) {
      if (!(error instanceof RefreshUnreachableError)) throw error;
      // The server is unreachable, not the session over: nobody is signed out for a network hiccup.
      throw new ApiError({ type: "about:blank#network", title: "Network error", status: 0, detail: error.message });
    }
    if (renewed) {
      res = await send(renewed);
      sessionEnded = res.status === 401;
    }
  }

  if (res.ok) {
    if (method !== "GET") for (const listener of writeListeners) listener(method, path);
    if (res.status === 204 || res.headers.get("content-length") === "0") return undefined as T;
    return (await res.json()) as T;
  }

  const error = await readProblem(res);
  if (sessionEnded && on401 === "redirect") {
    tokenStore.clear();
    unauthorizedHandler(window.location.pathname + window.location.search + window.location.hash);
  }
  throw error;
}

interface CallOptions {
  signal?: AbortSignal;
}

// ---------------------------------------------------------------------------------------------------------
// Typed calls

type Method = "get" | "put" | "post" | "delete" | "patch";
type PathParams<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? { [K in Name | keyof PathParams<Rest>]: string } : Record<never, string>;
type Success<P extends keyof paths, M extends Method> = [ResponseOf<P, M, 200>] extends [never] ? ([ResponseOf<P, M, 201>] extends [never] ? unknown : ResponseOf<P, M, 201>) : ResponseOf<P, M, 200>;

export type TypedOptions<P extends keyof paths, M extends Method> = Omit<RequestOptions, "method" | "body" | "query"> & {
  /** Values for the `{name}` segments of `path` (URL-encoded here). */
  params?: PathParams<P & string>;
  query?: [QueryOf<P, M>] extends [never] ? never : { [K in keyof QueryOf<P, M>]?: QueryOf<P, M>[K] | string };
  body?: [BodyOf<P, M>] extends [never] ? never : BodyOf<P, M>;
};

/**
 * A call checked against the API's generated types: `api("get", "/api/accounts/{id}", { params: { id } })` answers the
 * account; a path, parameter or body the API does not have is a compile error.
 */
export function api<M extends Method, P extends keyof paths & string>(method: M, path: P, options: TypedOptions<P, M> = {}): Promise<Success<P, M>> {
  const { params, query, body, ...rest } = options;
  const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent((params as Record<string, string> | undefined)?.[name] ?? ""));
  return apiRequest<Success<P, M>>(url, { ...rest, method: method.toUpperCase() as RequestOptions["method"], query: query as RequestOptions["query"], body });
}

// ---------------------------------------------------------------------------------------------------------
// Endpoints

/** Public: product name, accent colour and logo of this deployment. */
export function getBranding(options: CallOptions = {}): Promise<Branding> {
  return api("get", "/api/branding", { ...options, auth: false });
}

/** Exchanges credentials for a bearer token and stores it. A wrong password throws an ApiError (401). */
export async function login(email: string, password: string, options: CallOptions = {}): Promise<LoginResponse> {
  const result = await api("post", "/api/auth/login", {
    ...options,
    body: { email, password },
    auth: false,
    on401: "throw",
  });
  tokenStore.set(result.token);
  return result;
}

/** The signed-in user. Pass `on401: "throw"` to probe a stored token without redirecting. */
export async function me(options: CallOptions & Pick<RequestOptions, "on401"> = {}): Promise<User> {
  const result = await api("get", "/api/auth/me", options);
  return result.user;
}

/** Kanban columns with cards and per-currency totals, narrowed by `filters`. */
export function getPipeline(filters: PipelineFilters = {}, options: CallOptions = {}): Promise<Pipeline> {
  return api("get", "/api/opportunities/pipeline", { ...options, query: filters });
}

/** Only the counts and totals of the board for `filters` (no cards): the refresh after a move or an edit. */
export function getPipelineTotals(filters: PipelineFilters = {}, options: CallOptions = {}): Promise<PipelineTotals> {
  return api("get", "/api/opportunities/pipeline/totals", { ...options, query: filters });
}

/** The next cards of one column after `cursor` (the stage's `nextCursor`). */
export function getStageCards(stageId: string, filters: PipelineFilters, cursor: string, options: CallOptions = {}): Promise<StageCardsPage> {
  return api("get", "/api/opportunities/pipeline/stages/{stageId}/cards", { ...options, params: { stageId }, query: { ...filters, cursor } });
}
