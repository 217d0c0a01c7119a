import { Outlet, useNavigation } from "react-router";
import { Shell, type NavItem } from "../components/Shell";
import { RequireAuth, useAuth } from "../lib/auth";
import { useBranding } from "../lib/branding";

/** Main navigation, in order. Hide an entry per role here when RBAC-only screens arrive (see `hasRole`). */
const NAV_ITEMS: readonly NavItem[] = [
  { to: "/dashboard", label: "Dashboard" },
  { to: "/pipeline", label: "Pipeline" },
  { to: "/accounts", label: "Accounts" },
  { to: "/contacts", label: "Contacts" },
  { to: "/leads", label: "Leads" },
  { to: "/settings", label: "Settings" },
];

/**
 * Layout for every signed-in URL: redirects anonymous visitors to /login, then renders the shell. App-wide
 * overlays (Ctrl+K search, quick create, AI panel) belong here, beside <Outlet />.
 */
export default function AppLayout() {
  return (
    <RequireAuth>
      <SignedInShell />
    </RequireAuth>
  );
}

function SignedInShell() {
  const { user, signOut } = useAuth();
  const branding = useBranding();
  const navigation = useNavigation();
  if (!user) return null;
  return (
    <Shell
      productName={branding.productName}
      logoUrl={branding.logoUrl}
      user={user}
      navItems={NAV_ITEMS}
      onSignOut={signOut}
      busy={navigation.state !== "idle"}
    >
      <Outlet />
    </Shell>
  );
}
