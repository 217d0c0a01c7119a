import { isRouteErrorResponse, Link, useRouteError } from "react-router";
import { AlertIcon } from "./icons";
import { Button, buttonClasses } from "./ui/Button";

/** After a deploy, an open tab may ask for route chunks that no longer exist; a reload fetches the new build. */
function isStaleChunkError(error: unknown): boolean {
  return (
    error instanceof Error &&
    /dynamically imported module|Importing a module script failed|error loading dynamically imported module/i.test(
      error.message,
    )
  );
}

/** Error boundary UI for routes: keeps the shell around it when used on a page route. */
export function RouteError() {
  const error = useRouteError();
  let title = "Something went wrong";
  let message = "An unexpected error stopped this page from rendering.";
  if (isRouteErrorResponse(error)) {
    title = error.status === 404 ? "Page not found" : `${error.status} ${error.statusText}`;
    message = error.status === 404 ? "There is nothing at this address." : String(error.data ?? "");
  } else if (isStaleChunkError(error)) {
    title = "A new version is available";
    message = "The app was updated since this tab was opened. Reload to continue.";
  }
  if (import.meta.env.DEV) console.error(error);
  return (
    <div role="alert" className="mx-auto flex max-w-md flex-col items-center px-6 py-16 text-center">
      <span className="inline-flex size-10 items-center justify-center rounded-full bg-red-50 text-red-600">
        <AlertIcon width={20} height={20} />
      </span>
      <h1 className="mt-4 text-base font-semibold text-slate-900">{title}</h1>
      <p className="mt-1.5 text-sm text-slate-600">{message}</p>
      <div className="mt-5 flex gap-2">
        <Button variant="primary" onClick={() => window.location.reload()}>
          Reload
        </Button>
        <Link to="/" className={buttonClasses("secondary")}>
          Go home
        </Link>
      </div>
    </div>
  );
}

/** Shown while the first route's code loads (router HydrateFallback). Matches the page background: no flash. */
export function AppSplash() {
  return (
    <div className="flex min-h-dvh items-center justify-center text-slate-400">
      <span className="sr-only" role="status">
        Loading…
      </span>
    </div>
  );
}
