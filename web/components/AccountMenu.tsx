import { useState } from "react";
import { Link, useLocation } from "react-router";
import { errorMessage } from "../lib/api";
import { usePopover } from "../lib/popover";
import { setThemeChoice, useThemeChoice, type ThemeChoice } from "../lib/theme";

/** "Your profile" and "Change password" (which returns to the page it was opened from). */
export function AccountLinks({ itemClassName, onNavigate }: { itemClassName: string; onNavigate?: () => void }) {
  const location = useLocation();
  const next = location.pathname + location.search;
  return (
    <>
      <Link to="/profile" className={itemClassName} onClick={onNavigate}>
        Your profile
      </Link>
      <Link to={`/change-password?${new URLSearchParams({ next })}`} className={itemClassName} onClick={onNavigate}>
        Change password
      </Link>
      <ThemePicker />
    </>
  );
}

/** Light, dark, or follow the system; kept on this device. */
function ThemePicker() {
  const choice = useThemeChoice();
  return (
    <label className="flex items-center justify-between gap-2 rounded px-3 py-2 text-sm font-medium text-slate-300">
      Theme
      <select value={choice} onChange={(e) => setThemeChoice(e.target.value as ThemeChoice)} className="rounded border border-slate-600 bg-slate-800 px-1.5 py-0.5 text-sm text-white">
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}

export interface SignOutHandlers {
  onSignOut: () => Promise<void> | void;
  /** Ends the user's sessions on every device; rejects when the server did not confirm. */
  onSignOutEverywhere: () => Promise<void>;
}

/**
 * "Sign out" and "Sign out everywhere" with their pending state and the reason when signing out everywhere failed
 * (the other devices are then still signed in, which the user must know).
 */
export function SignOutActions({ onSignOut, onSignOutEverywhere, itemClassName }: SignOutHandlers & { itemClassName: string }) {
  const [pending, setPending] = useState<"one" | "all" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (which: "one" | "all") => {
    setPending(which);
    setError(null);
    try {
      await (which === "one" ? onSignOut() : onSignOutEverywhere());
    } catch (e) {
      setError(`Could not sign out everywhere: ${errorMessage(e)}`);
      setPending(null);
    }
  };
  return (
    <>
      <button type="button" className={itemClassName} disabled={pending !== null} onClick={() => void run("one")}>
        {pending === "one" ? "Signing out…" : "Sign out"}
      </button>
      <button type="button" className={itemClassName} disabled={pending !== null} onClick={() => void run("all")}>
        {pending === "all" ? "Signing out everywhere…" : "Sign out everywhere"}
      </button>
      {error && (
        <p role="alert" className="px-3 py-1.5 text-xs text-red-300">
          {error}
        </p>
      )}
    </>
  );
}

/** The header's account button (desktop): the user's name and role, opening the sign-out actions. */
export function AccountMenu({ badge, ...handlers }: SignOutHandlers & { badge: React.ReactNode }) {
  const { open, setOpen, panelId, rootRef, buttonRef } = usePopover();

  return (
    <div ref={rootRef} className="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        className="flex items-center gap-2 rounded-md px-1.5 py-1 hover:bg-white/5"
      >
        {/* The visible name and role stay part of the accessible name (WCAG 2.5.3, label in name). */}
        <span className="sr-only">Account menu: </span>
        {badge}
        <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4 text-slate-400" fill="currentColor">
          <path d="M5.3 7.3a1 1 0 0 1 1.4 0L10 10.6l3.3-3.3a1 1 0 1 1 1.4 1.4l-4 4a1 1 0 0 1-1.4 0l-4-4a1 1 0 0 1 0-1.4Z" />
        </svg>
      </button>
      <div
        id={panelId}
        hidden={!open}
        className="absolute right-0 top-full mt-2 w-56 rounded-md border border-slate-700 bg-slate-900 p-1 shadow-xl"
      >
        <AccountLinks onNavigate={() => setOpen(false)} itemClassName="block w-full rounded px-3 py-2 text-left text-sm font-medium text-slate-300 hover:bg-white/5 hover:text-white" />
        <div className="my-1 border-t border-slate-700" />
        <SignOutActions
          {...handlers}
          itemClassName="block w-full rounded px-3 py-2 text-left text-sm font-medium text-slate-300 hover:bg-white/5 hover:text-white disabled:opacity-60"
        />
      </div>
    </div>
  );
}
