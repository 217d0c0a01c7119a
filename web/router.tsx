/*
 * The route table. Layouts are eager (they frame every page); each page is its own chunk, loaded on first visit
 * through `page()`. To add a screen: create web/routes/<name>.tsx with a default-exported component, then add
 * one entry below (with `handle.title` for the browser tab).
 */
import type { ComponentType } from "react";
import { createBrowserRouter, redirect, type RouteObject } from "react-router";
import { AppSplash, RouteError } from "./components/RouteError";
import type { RouteHandle } from "./lib/branding";
import AppLayout from "./routes/app-layout";
import RootLayout from "./routes/root";

/** Turns a route module (default export = component) into a lazy route; optional named exports pass through. */
function page(load: () => Promise<{ default: ComponentType } & Pick<RouteObject, "ErrorBoundary">>) {
  return async () => {
    const { default: Component, ErrorBoundary } = await load();
    return ErrorBoundary ? { Component, ErrorBoundary } : { Component };
  };
}

const title = (t: string): RouteHandle => ({ title: t });

export const routes: RouteObject[] = [
  {
    id: "root",
    Component: RootLayout,
    HydrateFallback: AppSplash,
    ErrorBoundary: RouteError,
    children: [
      { path: "login", lazy: page(() => import("./routes/login")), handle: title("Sign in") },
      { path: "change-password", lazy: page(() => import("./routes/change-password")), handle: title("Change your password") },
      { path: "forgot-password", lazy: async () => ({ Component: (await import("./routes/password-reset")).ForgotPasswordRoute }), handle: title("Reset your password") },
      { path: "reset-password", lazy: async () => ({ Component: (await import("./routes/password-reset")).ResetPasswordRoute }), handle: title("Choose a new password") },
      {
        Component: AppLayout,
        children: [
          {
            // Pathless boundary: a page that throws renders the error inside the shell, navigation still works.
            ErrorBoundary: RouteError,
            children: [
              { index: true, loader: () => redirect("/pipeline") },
              { path: "dashboard", lazy: page(() => import("./routes/dashboard")), handle: title("Dashboard") },
              { path: "pipeline", lazy: page(() => import("./routes/pipeline")), handle: title("Pipeline") },
              { path: "reports", lazy: page(() => import("./routes/reports")), handle: title("Reports") },
              { path: "accounts", lazy: page(() => import("./routes/accounts")), handle: title("Accounts") },
              { path: "contacts", lazy: page(() => import("./routes/contacts")), handle: title("Contacts") },
              { path: "leads", lazy: page(() => import("./routes/leads")), handle: title("Leads") },
              { path: "opportunities", lazy: page(() => import("./routes/opportunities")), handle: title("Opportunities") },
              // One module for the four detail pages: they share the layout, fields, timeline and attachments.
              { path: "accounts/:id", lazy: page(() => import("./routes/record-detail")), handle: title("Account") },
              { path: "contacts/:id", lazy: page(() => import("./routes/record-detail")), handle: title("Contact") },
              { path: "leads/:id", lazy: page(() => import("./routes/record-detail")), handle: title("Lead") },
              { path: "opportunities/:id", lazy: page(() => import("./routes/record-detail")), handle: title("Opportunity") },
              // The tab is part of the URL (/settings/users, /settings/stages …) so it can be linked and kept on reload.
              { path: "settings/:tab?", lazy: page(() => import("./routes/settings")), handle: title("Settings") },
              { path: "import", lazy: page(() => import("./routes/import")), handle: title("Import") },
              { path: "*", lazy: page(() => import("./routes/not-found")), handle: title("Not found") },
            ],
          },
        ],
      },
    ],
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}
