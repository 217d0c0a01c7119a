/*
 * Session state for the SPA. The short-lived bearer token lives in localStorage (lib/session.ts `tokenStore`) and is
 * renewed through the HttpOnly refresh cookie as it expires; the user is resolved once at start (`restoreSession`)
 * and handed to <AuthProvider initialUser>, so the first render already knows whether someone is signed in — no
 * flash of the login page.
 */
import { createContext, use, useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { ApiError, apiRequest, login, loginPath, me, setUnauthorizedHandler, tokenStore } from "./api";
import { onSessionRefreshed } from "./session";
import type { Role, User } from "./api-types";

/** "user": signed out on purpose (or in another tab). "expired": the server answered 401. */
export type SignedOutReason = "user" | "expired";

export interface AuthContextValue {
  user: User | null;
  token: string | null;
  /** Why the last session ended, so the login page can explain; null while signed in or on first visit. */
  signedOutReason: SignedOutReason | null;
  signIn(email: string, password: string): Promise<User>;
  /** Ends this device's session on the server too (its token stops working at once), then signs out here. */
  signOut(): Promise<void>;
  /** Ends every session of the user on every device. Throws (and stays signed in) when the server did not confirm. */
  signOutEverywhere(): Promise<void>;
  /** Replaces the session after the server issued a new token (change-password ends the old one). */
  updateSession(token: string, user: User): void;
}

interface AuthState {
  user: User | null;
  token: string | null;
  signedOutReason: SignedOutReason | null;
}

const AuthContext = createContext<AuthContextValue | null>(null);

/** Resolves the stored token to a user. Never throws; a rejected token is removed. */
export async function restoreSession(timeoutMs = 5000): Promise<User | null> {
  if (!tokenStore.get()) return null;
  try {
    return await me({ on401: "throw", signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) tokenStore.clear();
    return null;
  }
}

export function AuthProvider({ initialUser, children }: { initialUser: User | null; children: ReactNode }) {
  const [state, setState] = useState<AuthState>(() => ({
    user: initialUser,
    token: initialUser ? tokenStore.get() : null,
    signedOutReason: null,
  }));

  // api.ts has already cleared the token when this runs; dropping the user lets <RequireAuth> redirect
  // to /login?next=… inside the router instead of reloading the page.
  useEffect(
    () => setUnauthorizedHandler(() => setState({ user: null, token: null, signedOutReason: "expired" })),
    [],
  );

  // A renewal may bring a changed role or name; keep the same object when nothing changed (no re-render).
  useEffect(
    () =>
      onSessionRefreshed(({ token, user }) =>
        setState((s) => ({ ...s, token, user: s.user && JSON.stringify(s.user) === JSON.stringify(user) ? s.user : user })),
      ),
    [],
  );

  // Keep tabs in step: signing out (or in as someone else) in one tab applies to all of them.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key !== tokenStore.key && event.key !== null) return;
      const token = tokenStore.get();
      if (!token) {
        setState({ user: null, token: null, signedOutReason: "user" });
        return;
      }
      me({ on401: "throw" }).then(
        (user) => setState({ user, token, signedOutReason: null }),
        () => setState({ user: null, token: null, signedOutReason: "expired" }),
      );
    };
    window.addEventListener("storage", onStorage);
    return () => window.removeEventListener("storage", onStorage);
  }, []);

  const signIn = useCallback(async (email: string, password: string) => {
    const { token, user } = await login(email, password);
    setState({ user, token, signedOutReason: null });
    return user;
  }, []);

  const signedOut = useCallback(() => {
    tokenStore.clear();
    setState({ user: null, token: null, signedOutReason: "user" });
  }, []);

  const signOut = useCallback(async () => {
    try {
      await apiRequest("/api/auth/logout", { method: "POST", on401: "throw" });
    } catch {
      // Already ended (401) or unreachable: this device forgets its token either way.
    }
    signedOut();
  }, [signedOut]);

  const signOutEverywhere = useCallback(async () => {
    try {
      await apiRequest("/api/auth/logout-all", { method: "POST", on401: "throw" });
    } catch (error) {
      // A 401 means this session is over already; anything else leaves the other devices signed in: say so.
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
    signedOut();
  }, [signedOut]);

  const updateSession = useCallback((token: string, user: User) => {
    tokenStore.set(token);
    setState({ user, token, signedOutReason: null });
  }, []);

  const value = useMemo<AuthContextValue>(
    () => ({ ...state, signIn, signOut, signOutEverywhere, updateSession }),
    [state, signIn, signOut, signOutEverywhere, updateSession],
  );
  return <AuthContext value={value}>{children}</AuthContext>;
}

export function useAuth(): AuthContextValue {
  const value = use(AuthContext);
  if (!value) throw new Error("useAuth must be used inside <AuthProvider>");
  return value;
}

/** The signed-in user, for components rendered under <RequireAuth>. */
export function useCurrentUser(): User {
  const { user } = useAuth();
  if (!user) throw new Error("useCurrentUser must be used under <RequireAuth>");
  return user;
}

/** Renders its children only for a signed-in user; otherwise redirects to /login, remembering the path. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { user, signedOutReason } = useAuth();
  const location = useLocation();
  if (!user) {
    const next = signedOutReason === "user" ? undefined : location.pathname + location.search + location.hash;
    return <Navigate to={loginPath(next)} replace />;
  }
  return children;
}

const ROLE_RANK: Record<Role, number> = { VIEWER: 0, USER: 1, ADMIN: 2 };

/** True when `user` has at least `role` (ADMIN ⊃ USER ⊃ VIEWER). UI hint only; the API enforces RBAC. */
export function hasRole(user: User | null | undefined, role: Role): boolean {
  return !!user && ROLE_RANK[user.role] >= ROLE_RANK[role];
}

export const ROLE_LABEL: Record<Role, string> = { ADMIN: "Admin", USER: "User", VIEWER: "Viewer" };

/** Minimum length the server's password policy enforces (worker/lib/password-policy.ts). */
export const PASSWORD_MIN_LENGTH = 10;

/**
 * `POST /api/auth/change-password`: every other session of the user ends; the answer carries a fresh token for
 * this one (pass it to `updateSession`). A wrong current password is a 422 naming `currentPassword`.
 */
export function changePassword(currentPassword: string, newPassword: string) {
  return apiRequest<{ token: string; user: User }>("/api/auth/change-password", {
    method: "POST",
    body: { currentPassword, newPassword },
  });
}
