import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../app-env";
import type { IssuedTokens } from "../services/auth/sessions/policy";

/**
 * The refresh token travels only in this cookie: HttpOnly (page scripts never see it), SameSite=Strict (no other
 * site can make the browser send it), and scoped to the one route that reads it, so no other request carries it.
 */
export const REFRESH_PATH = "/api/auth/refresh";

/**
 * `Secure` everywhere except plain-http local development (http://localhost, 127.0.0.1), where a browser would drop
 * a Secure cookie set over http. The `__Secure-` prefix makes browsers refuse the cookie from a non-secure origin.
 */
function cookieMode(c: Context<AppEnv>): { name: string; secure: boolean } {
  const url = new URL(c.req.url);
  const local = /^(localhost|127\.0\.0\.1|\[::1\])$/.test(url.hostname);
  const secure = c.var.config.ENVIRONMENT === "production" || url.protocol === "https:" || !local;
  return secure ? { name: "__Secure-bespoke_refresh", secure } : { name: "bespoke_refresh", secure };
}

export function readRefreshCookie(c: Context<AppEnv>): string | undefined {
  return getCookie(c, cookieMode(c).name) || undefined;
}

export function clearRefreshCookie(c: Context<AppEnv>): void {
  const { name, secure } = cookieMode(c);
  deleteCookie(c, name, { path: REFRESH_PATH, secure, httpOnly: true, sameSite: "Strict" });
}

/**
 * The JSON body of a sign-in or refresh (`{token, expiresAt, user}`, as before plus `expiresAt`), setting the
 * refresh cookie when a new refresh token was issued. Responses carrying tokens are never cached.
 */
export function sessionBody<U>(c: Context<AppEnv>, issued: IssuedTokens, user: U) {
  if (issued.refresh) {
    const { name, secure } = cookieMode(c);
    const maxAge = Math.max(1, Math.floor((issued.refresh.expiresAt.getTime() - Date.now()) / 1000));
    setCookie(c, name, issued.refresh.token, { path: REFRESH_PATH, secure, httpOnly: true, sameSite: "Strict", maxAge, expires: issued.refresh.expiresAt });
  }
  c.header("Cache-Control", "no-store");
  return { token: issued.token, expiresAt: issued.expiresAt.toISOString(), user };
}
