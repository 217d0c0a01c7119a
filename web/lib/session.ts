/*
 * The access token and its renewal. The token (short-lived, Bearer) lives in localStorage so every tab shares it;
 * the refresh token never reaches JavaScript: it is an HttpOnly cookie that only POST /api/auth/refresh receives.
 * When the token is about to expire, or the server answers 401, `refreshAccessToken` trades the cookie for a new
 * token — once for all the requests waiting (single-flight), and one tab at a time (Web Locks), because each refresh
 * token works only once.
 */
import type { LoginResponse } from "./api-types";

const TOKEN_KEY = "bespoke.token";
const REFRESH_URL = `${(import.meta.env.VITE_API_URL ?? "").replace(/\/+$/, "")}/api/auth/refresh`;
/** Renew a token this close to its expiry before using it (also absorbs small clock differences). */
const EARLY_MS = 30_000;

// localStorage can throw (disabled storage, some private modes): fall back to memory so the session still works for
// the lifetime of the tab.
let memoryToken: string | null = null;

export const tokenStore = {
  key: TOKEN_KEY,
  get(): string | null {
    try {
      return window.localStorage.getItem(TOKEN_KEY) ?? memoryToken;
    } catch {
      return memoryToken;
    }
  },
  set(token: string): void {
    memoryToken = token;
    try {
      window.localStorage.setItem(TOKEN_KEY, token);
    } catch {
      /* memory only */
    }
  },
  clear(): void {
    memoryToken = null;
    try {
      window.localStorage.removeItem(TOKEN_KEY);
    } catch {
      /* memory only */
    }
  },
};

/**
 * True when the token expires within 30 s, or within the last quarter of its lifetime for short ones, judged from its
 * payload (the server verifies it; this only renews ahead of time).
 */
function expiresSoon(token: string): boolean {
  try {
    const { exp, iat } = JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as { exp?: unknown; iat?: unknown };
    if (typeof exp !== "number" || typeof iat !== "number") return false;
    const early = Math.min(EARLY_MS, ((exp - iat) * 1000) / 4);
    return exp * 1000 - Date.now() < early;
  } catch {
    return false;
  }
}

type RefreshListener = (session: LoginResponse) => void;
let refreshListener: RefreshListener | null = null;

/** The auth provider hears about each renewal (the user's role or name may have changed meanwhile). */
export function onSessionRefreshed(listener: RefreshListener): () => void {
  refreshListener = listener;
  return () => {
    if (refreshListener === listener) refreshListener = null;
  };
}

/** Thrown when the server could not be reached: the session may well be alive, so nobody is signed out for it. */
export class RefreshUnreachableError extends Error {}

async function refreshOnce(stale: string | null): Promise<string | null> {
  // Another tab may have renewed while this one waited for the lock: the shared token is then fresh already.
  const current = tokenStore.get();
  if (current && current !== stale && !expiresSoon(current)) return current;
  let res: Response;
  try {
    res = await fetch(REFRESH_URL, {
      method: "POST",
      credentials: "include",
      headers: { "X-Requested-With": "fetch", Accept: "application/json, application/problem+json" },
    });
  } catch {
    throw new RefreshUnreachableError("Could not reach the server to renew the session.");
  }
  if (res.status === 401 || res.status === 403) return null;
  if (!res.ok) throw new RefreshUnreachableError(`Renewing the session failed (HTTP ${res.status}).`);
  const session = (await res.json()) as LoginResponse;
  tokenStore.set(session.token);
  refreshListener?.(session);
  return session.token;
}

let inFlight: Promise<string | null> | null = null;

/**
 * A new access token from the refresh cookie, or null when the session has ended (sign in again). Concurrent callers
 * share one request; tabs take turns.
 */
export function refreshAccessToken(): Promise<string | null> {
  if (!inFlight) {
    const stale = tokenStore.get();
    const run = () => refreshOnce(stale);
    const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
    inFlight = (locks ? locks.request("bespoke.session-refresh", run) : run()).finally(() => {
      inFlight = null;
    });
  }
  return inFlight;
}

/** The stored token, renewed first when it is about to expire; null when signed out. */
export async function freshToken(): Promise<string | null> {
  const token = tokenStore.get();
  if (!token || !expiresSoon(token)) return token;
  try {
    return (await refreshAccessToken()) ?? token;
  } catch {
    // Offline: try with what we have; the request itself reports the network problem.
    return token;
  }
}

/**
 * Sends an XMLHttpRequest (uploads use XHR for its progress events) with a fresh token. Returns the abort function:
 * an abort before the send (while the token is renewed) calls `onCancelled`, as XHR itself then reports nothing.
 */
export function sendAuthorized(xhr: XMLHttpRequest, body: XMLHttpRequestBodyInit, onCancelled: () => void): () => void {
  let cancelled = false;
  void freshToken().then((token) => {
    if (cancelled) return onCancelled();
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.send(body);
  });
  return () => {
    cancelled = true;
    xhr.abort();
  };
}
