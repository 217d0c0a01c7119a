import { Outlet, ScrollRestoration } from "react-router";
import { useRouteDocumentTitle } from "../lib/branding";

/** Top of the route tree (every URL, signed in or not): document title and scroll restoration. */
export default function RootLayout() {
  useRouteDocumentTitle();
  return (
    <>
      <Outlet />
      <ScrollRestoration />
    </>
  );
}
