/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** API origin when the SPA is served elsewhere; empty/unset = same origin (the Worker serves both). */
  readonly VITE_API_URL?: string;
  /** "true" hides the demo-login hint on the sign-in page. */
  readonly VITE_HIDE_DEMO_LOGINS?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
