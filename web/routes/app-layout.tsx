import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import { Navigate, Outlet, useLocation, useNavigation } from "react-router";
import { PlusIcon, SearchIcon } from "../components/icons";
import { NotificationBell } from "../components/NotificationBell";
import { Shell, type NavItem } from "../components/Shell";
import { hasRole, RequireAuth, useAuth } from "../lib/auth";
import { useBranding } from "../lib/branding";
import {
  AppCommandsContext,
  isTypingContext,
  modKeyLabel,
  type AppCommands,
  type QuickCreateKind,
  type QuickCreatePreset,
} from "../lib/commands";
import { usePrefetchOnIntent } from "../lib/prefetch";
import type { Role } from "../lib/api-types";

// Overlays load on first use: they are not needed to paint any page.
const SearchPalette = lazy(() => import("../components/SearchPalette"));
const QuickCreateDialog = lazy(() => import("../components/QuickCreateDialog"));
const preloadOverlays = () => {
  void import("../components/SearchPalette");
  void import("../components/QuickCreateDialog");
};

/** Main navigation, in order; `role` hides an entry from lower roles (the API enforces RBAC regardless). */
const NAV_ITEMS: readonly (NavItem & { role?: Role })[] = [
  { to: "/dashboard", label: "Dashboard" },
  { to: "/tasks", label: "Tasks" },
  { to: "/pipeline", label: "Pipeline" },
  { to: "/opportunities", label: "Opportunities" },
  { to: "/accounts", label: "Accounts" },
  { to: "/contacts", label: "Contacts" },
  { to: "/leads", label: "Leads" },
  { to: "/reports", label: "Reports" },
  { to: "/settings", label: "Settings", role: "ADMIN" },
];

/** The quick-create shortcut: a single key, ignored while typing (see `isTypingContext`). */
const QUICK_CREATE_KEY = "c";

type Overlay = { kind: "search" } | { kind: "create"; entity?: QuickCreateKind; preset?: QuickCreatePreset } | null;

/**
 * Layout for every signed-in URL: redirects anonymous visitors to /login (and users who must change their
 * password to /change-password), then renders the shell with the app-wide overlays: the Ctrl/Cmd+K search
 * palette and quick create ("c" or the + button).
 */
export default function AppLayout() {
  return (
    <RequireAuth>
      <SignedInShell />
    </RequireAuth>
  );
}

function SignedInShell() {
  const { user, signOut, signOutEverywhere } = useAuth();
  const branding = useBranding();
  const navigation = useNavigation();
  const location = useLocation();
  const [overlay, setOverlay] = useState<Overlay>(null);
  const canCreate = hasRole(user, "USER");
  usePrefetchOnIntent(user?.id);

  const commands = useMemo<AppCommands>(
    () => ({
      openSearch: () => setOverlay({ kind: "search" }),
      openQuickCreate: (entity, preset) => {
        if (canCreate) setOverlay({ kind: "create", entity, preset });
      },
      canCreate,
    }),
    [canCreate],
  );
  const close = useCallback(() => setOverlay(null), []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const mod = event.metaKey || event.ctrlKey;
      if (mod && !event.altKey && !event.shiftKey && event.key.toLowerCase() === "k") {
        // Works from inside text fields too: it is the one global shortcut with a modifier.
        event.preventDefault();
        setOverlay((o) => (o?.kind === "search" ? null : { kind: "search" }));
        return;
      }
      if (mod || event.altKey || isTypingContext(event)) return;
      if (event.key === "/") {
        event.preventDefault();
        setOverlay({ kind: "search" });
      } else if (event.key.toLowerCase() === QUICK_CREATE_KEY && !event.shiftKey && canCreate) {
        event.preventDefault();
        setOverlay({ kind: "create" });
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [canCreate]);

  // Warm the overlay chunks once the page is idle, so the first Ctrl+K opens instantly.
  useEffect(() => {
    const idle = window.requestIdleCallback ?? ((cb: () => void) => window.setTimeout(cb, 1500));
    const cancel = window.cancelIdleCallback ?? window.clearTimeout;
    const handle = idle(preloadOverlays);
    return () => cancel(handle);
  }, []);

  const navItems = useMemo(() => NAV_ITEMS.filter((item) => !item.role || hasRole(user, item.role)), [user]);
  if (!user) return null;
  if (user.mustChangePassword) {
    const next = location.pathname + location.search + location.hash;
    return <Navigate to={`/change-password?${new URLSearchParams({ next })}`} replace />;
  }

  const mod = modKeyLabel();
  return (
    <AppCommandsContext value={commands}>
      <Shell
        productName={branding.productName}
        logoUrl={branding.logoUrl}
        user={user}
        navItems={navItems}
        onSignOut={signOut}
        onSignOutEverywhere={signOutEverywhere}
        busy={navigation.state !== "idle"}
        actions={
          <>
            <button
              type="button"
              onClick={commands.openSearch}
              onPointerEnter={preloadOverlays}
              aria-keyshortcuts="Control+K Meta+K"
              className="inline-flex h-9 items-center gap-2 rounded-md text-sm text-slate-300 ring-slate-700 transition-colors hover:bg-white/5 hover:text-white max-sm:w-9 max-sm:justify-center sm:px-2.5 sm:ring-1 2xl:w-56"
            >
              <SearchIcon className="size-4 shrink-0" />
              <span className="max-sm:sr-only">Search</span>
              <kbd
                aria-hidden="true"
                className="ml-auto hidden rounded border border-slate-600 px-1.5 font-sans text-[0.6875rem] leading-4 text-slate-400 2xl:inline-block"
              >
                {mod} K
              </kbd>
            </button>
            <NotificationBell />
            {canCreate && (
              <button
                type="button"
                onClick={() => commands.openQuickCreate()}
                onPointerEnter={preloadOverlays}
                aria-keyshortcuts={QUICK_CREATE_KEY.toUpperCase()}
                title={`Create a record (${QUICK_CREATE_KEY.toUpperCase()})`}
                className="inline-flex h-9 items-center gap-1.5 rounded-md bg-accent px-2.5 text-sm font-medium text-accent-foreground shadow-xs transition-colors hover:bg-accent-hover max-sm:w-9 max-sm:justify-center max-sm:px-0"
              >
                <PlusIcon className="size-4 shrink-0" />
                <span className="max-sm:sr-only">New</span>
                <span className="sr-only"> record</span>
                <kbd aria-hidden="true" className="hidden rounded bg-black/15 px-1.5 font-sans text-[0.6875rem] leading-4 2xl:inline-block">
                  {QUICK_CREATE_KEY.toUpperCase()}
                </kbd>
              </button>
            )}
          </>
        }
      >
        <Outlet />
      </Shell>
      <Suspense fallback={null}>
        {overlay?.kind === "search" && <SearchPalette onClose={close} />}
        {overlay?.kind === "create" && (
          <QuickCreateDialog initialKind={overlay.entity} preset={overlay.preset} onClose={close} />
        )}
      </Suspense>
    </AppCommandsContext>
  );
}
