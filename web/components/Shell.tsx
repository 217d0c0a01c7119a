import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { Link, NavLink, useLocation } from "react-router";
import { useDismiss } from "../lib/popover";
import { ROLE_LABEL } from "../lib/auth";
import type { User } from "../lib/api-types";
import { AccountLinks, AccountMenu, SignOutActions, type SignOutHandlers } from "./AccountMenu";
import { BrandMark } from "./BrandMark";
import { CloseIcon, MenuIcon } from "./icons";
import { ViewsMenu } from "./ViewsMenu";

export interface NavItem {
  to: string;
  label: string;
}

export interface ShellProps extends SignOutHandlers {
  productName: string;
  logoUrl: string | null;
  user: User;
  navItems: readonly NavItem[];
  /** A navigation is in progress (route code or data loading): shows a thin progress bar. */
  busy?: boolean;
  /** Header buttons beside the user (search, quick create); shown at every width, so keep them compact. */
  actions?: ReactNode;
  children: ReactNode;
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? "") + (parts.length > 1 ? (parts.at(-1)?.[0] ?? "") : "")).toUpperCase() || "?";
}

const desktopLink = ({ isActive }: { isActive: boolean }) =>
  `rounded-md px-2.5 py-1.5 text-sm font-medium whitespace-nowrap transition-colors xl:px-3 ${
    isActive ? "bg-white/10 text-white" : "text-slate-300 hover:bg-white/5 hover:text-white"
  }`;

const mobileLink = ({ isActive }: { isActive: boolean }) =>
  `block rounded-md px-3 py-2 text-base font-medium ${
    isActive ? "bg-white/10 text-white" : "text-slate-300 hover:bg-white/5 hover:text-white"
  }`;

/** The signed-in frame: dark header with brand, main navigation and user menu; page content below. */
export function Shell({ productName, logoUrl, user, navItems, onSignOut, onSignOutEverywhere, busy = false, actions, children }: ShellProps) {
  const [menuOpen, setMenuOpen] = useState(false);
  const menuId = useId();
  const menuButtonRef = useRef<HTMLButtonElement>(null);
  const headerRef = useRef<HTMLElement>(null);
  const mainRef = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  const firstPath = useRef(pathname);

  // New page: close the mobile menu and move focus to the content, so keyboard and screen-reader users start
  // at the top of the new page instead of on a link that may no longer exist. Search-param changes (filters)
  // keep focus where it is.
  useEffect(() => {
    setMenuOpen(false);
    if (firstPath.current === pathname) return;
    firstPath.current = pathname;
    mainRef.current?.focus({ preventScroll: true });
  }, [pathname]);

  useDismiss(menuOpen, () => setMenuOpen(false), headerRef, menuButtonRef);

  const roleLabel = ROLE_LABEL[user.role] ?? user.role;

  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-white px-3 py-2 text-sm font-medium text-slate-900 shadow-lg focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>

      <header
        ref={headerRef}
        data-surface="dark"
        className="sticky top-0 z-40 h-(--header-h) shrink-0 border-b border-slate-800 bg-slate-900 text-slate-300"
      >
        <div className="flex h-full items-center gap-2 px-4 sm:gap-3 sm:px-6 xl:gap-4">
          <Link to="/" className="-mx-1 flex min-w-0 items-center gap-2.5 rounded-md px-1 py-1 text-white lg:shrink-0">
            <BrandMark productName={productName} logoUrl={logoUrl} />
            <span className="truncate text-[0.9375rem] font-semibold tracking-tight">{productName}</span>
          </Link>

          <nav aria-label="Main" className="hidden min-w-0 overflow-x-auto lg:block">
            <ul className="flex items-center gap-0.5">
              {navItems.map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} className={desktopLink}>
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          {/* Outside the scrolling nav, so its panel is never clipped. */}
          <div className="hidden lg:block">
            <ViewsMenu />
          </div>

          <div className="ml-auto flex items-center gap-1.5 sm:gap-2">{actions}</div>

          <div className="hidden items-center lg:flex">
            <AccountMenu badge={<UserBadge user={user} roleLabel={roleLabel} />} onSignOut={onSignOut} onSignOutEverywhere={onSignOutEverywhere} />
          </div>

          <button
            ref={menuButtonRef}
            type="button"
            className="inline-flex size-9 items-center justify-center rounded-md text-slate-300 hover:bg-white/5 hover:text-white lg:hidden"
            aria-expanded={menuOpen}
            aria-controls={menuId}
            onClick={() => setMenuOpen((open) => !open)}
          >
            <span className="sr-only">{menuOpen ? "Close menu" : "Open menu"}</span>
            {menuOpen ? <CloseIcon width={20} height={20} /> : <MenuIcon width={20} height={20} />}
          </button>
        </div>

        {/* Overlays the page instead of pushing it down, so opening the menu never shifts content. */}
        <div
          id={menuId}
          hidden={!menuOpen}
          className="absolute inset-x-0 top-full border-b border-slate-800 bg-slate-900 px-4 pt-2 pb-4 shadow-xl lg:hidden"
        >
          <nav aria-label="Main (mobile)">
            <ul className="space-y-1">
              {navItems.map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} className={mobileLink}>
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
            <ViewsMenu mobile onNavigate={() => setMenuOpen(false)} />
          </nav>
          <div className="mt-3 border-t border-slate-800 pt-3">
            <UserBadge user={user} roleLabel={roleLabel} />
            <div className="mt-2 flex flex-wrap gap-1">
              <AccountLinks onNavigate={() => setMenuOpen(false)} itemClassName="rounded-md px-3 py-2 text-sm font-medium text-slate-300 hover:bg-white/5 hover:text-white" />
              <SignOutActions
                onSignOut={onSignOut}
                onSignOutEverywhere={onSignOutEverywhere}
                itemClassName="rounded-md px-3 py-2 text-sm font-medium text-slate-300 hover:bg-white/5 hover:text-white disabled:opacity-60"
              />
            </div>
          </div>
        </div>

        <div
          aria-hidden="true"
          className={`pointer-events-none absolute inset-x-0 -bottom-px h-0.5 overflow-hidden transition-opacity delay-150 duration-200 ${
            busy ? "opacity-100" : "opacity-0 delay-0"
          }`}
        >
          <div className="nav-progress h-full w-1/3 bg-accent" />
        </div>
      </header>

      <main id="main" ref={mainRef} tabIndex={-1} className="flex min-w-0 flex-1 flex-col outline-none">
        {children}
      </main>
    </div>
  );
}

function UserBadge({ user, roleLabel }: { user: User; roleLabel: string }) {
  return (
    <div className="flex min-w-0 items-center gap-2.5">
      <span
        aria-hidden="true"
        className="inline-flex size-7 shrink-0 items-center justify-center rounded-full bg-slate-700 text-xs font-semibold text-white"
      >
        {initials(user.name)}
      </span>
      <span className="min-w-0 leading-tight">
        <span className="block truncate text-sm font-medium text-white">{user.name}</span>
        <span className="block text-xs text-slate-400">
          <span className="sr-only">Role: </span>
          {roleLabel}
        </span>
      </span>
    </div>
  );
}
