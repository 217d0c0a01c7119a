// The parts of the Sentry SDK the Worker uses, behind one module that worker/lib/sentry.ts imports on demand (a
// dynamic import of the package itself would bundle all of it: only named static imports are tree-shaken).
export { captureException, withSentry } from "@sentry/cloudflare";
