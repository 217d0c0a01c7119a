import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from "react";
import { Link, Navigate, NavLink, useParams } from "react-router";
import { EmptyState } from "../components/EmptyState";
import { PageHeader } from "../components/PageHeader";
import { buttonClasses } from "../components/ui/Button";
import { Skeleton } from "../components/ui/Skeleton";
import { hasRole, useCurrentUser } from "../lib/auth";

interface Tab {
  id: string;
  label: string;
  description: string;
  Component: LazyExoticComponent<ComponentType>;
}

/** Each tab is its own chunk: an admin opening Users does not download the webhook log. */
const TABS: readonly Tab[] = [
  { id: "users", label: "Users", description: "Who can sign in, and with which role.", Component: lazy(() => import("./settings/users")) },
  { id: "stages", label: "Pipelines", description: "Your pipelines and the stages deals move through, with win probabilities and aging limits.", Component: lazy(() => import("./settings/stages")) },
  { id: "reason-codes", label: "Reason codes", description: "The reasons offered when a deal changes stage, is won or is lost.", Component: lazy(() => import("./settings/reason-codes")) },
  { id: "insights", label: "Insights", description: "How good the win score and the forecast have been, and when a quiet deal counts as inactive.", Component: lazy(() => import("./settings/insights")) },
  { id: "fields", label: "Fields", description: "Custom fields on accounts, contacts, leads and opportunities.", Component: lazy(() => import("./settings/fields")) },
  { id: "api-keys", label: "API keys", description: "Keys for integrations that call the REST API.", Component: lazy(() => import("./settings/api-keys")) },
  { id: "automations", label: "Automations", description: "Rules that create tasks, update records, notify people and call other systems when something happens.", Component: lazy(() => import("./settings/automations")) },
  { id: "webhooks", label: "Webhooks", description: "Endpoints that receive an HTTP POST when records change.", Component: lazy(() => import("./settings/webhooks")) },
  { id: "branding", label: "Branding", description: "Name, colour and logo of this deployment.", Component: lazy(() => import("./settings/branding")) },
];

/** /settings/:tab — workspace administration (ADMIN only; the API refuses everyone else anyway). */
export default function SettingsRoute() {
  const user = useCurrentUser();
  const { tab } = useParams();

  // Everyone may read the custom fields (what a value means, which options exist); the rest is for admins.
  if (!hasRole(user, "ADMIN") && tab !== "fields") {
    return (
      <>
        <PageHeader title="Settings" />
        <EmptyState
          title="Settings are for admins only"
          description={
            <>
              Users, pipeline stages, API keys and webhooks are managed by your workspace’s administrators. You are
              signed in as <strong className="font-medium text-slate-700">{user.email}</strong> with the{" "}
              {user.role === "VIEWER" ? "Viewer" : "User"} role; ask an admin if you need a change.
            </>
          }
          action={
            <Link to="/pipeline" className={buttonClasses("secondary")}>
              Back to the pipeline
            </Link>
          }
        />
      </>
    );
  }

  const isAdmin = hasRole(user, "ADMIN");
  const active = TABS.find((t) => t.id === tab);
  if (!active) return <Navigate to="/settings/users" replace />;
  const { Component } = active;

  return (
    <>
      <PageHeader title="Settings" description={active.description} />
      <div className="mx-auto flex w-full max-w-6xl flex-col gap-6 px-4 py-6 sm:px-6 md:flex-row">
        <nav aria-label="Settings sections" className="md:w-52 md:shrink-0">
          <ul className="-mx-4 flex gap-1 overflow-x-auto px-4 pb-1 md:mx-0 md:flex-col md:overflow-visible md:px-0">
            {TABS.filter((t) => isAdmin || t.id === "fields").map((t) => (
              <li key={t.id} className="shrink-0">
                <NavLink
                  to={`/settings/${t.id}`}
                  className={({ isActive }) =>
                    `block rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap ${
                      isActive ? "bg-white text-slate-900 shadow-xs ring-1 ring-slate-200" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"
                    }`
                  }
                >
                  {t.label}
                </NavLink>
              </li>
            ))}
            {isAdmin && <li className="shrink-0 md:mt-3 md:border-t md:border-slate-200 md:pt-3">
              <Link to="/import" className="block rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap text-slate-600 hover:bg-slate-100 hover:text-slate-900">
                Import data…
              </Link>
            </li>}
          </ul>
        </nav>
        <section aria-labelledby="settings-section-title" className="min-w-0 flex-1">
          <h2 id="settings-section-title" className="mb-4 text-base font-semibold text-slate-900">
            {active.label}
          </h2>
          <Suspense fallback={<TabSkeleton />}>
            <Component />
          </Suspense>
        </section>
      </div>
    </>
  );
}

function TabSkeleton() {
  return (
    <div className="space-y-3" aria-hidden="true">
      <Skeleton className="h-9 w-64" />
      <Skeleton className="h-40 w-full rounded-lg" />
    </div>
  );
}
