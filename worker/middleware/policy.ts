import type { Role } from "../schemas/common";

/**
 * Who may call what, in one table. The auth middleware consults it for every request, so a new route is
 * protected by default: reads need VIEWER, writes USER, deletes ADMIN, unless a rule here says otherwise.
 * First matching rule wins.
 */
type Rule = { method: string | "*"; path: RegExp; role: Role | "public" };

const rules: Rule[] = [
  { method: "GET", path: /^\/api\/health$/, role: "public" },
  { method: "GET", path: /^\/api\/branding$/, role: "public" },
  { method: "GET", path: /^\/api\/openapi\.json$/, role: "public" },
  // The MCP endpoint: any role may connect and read; each tool then needs the role of the REST route it stands for
  // (worker/mcp/tools.ts `rest`, checked against this same table), so a VIEWER key cannot write through it either.
  { method: "*", path: /^\/mcp$/, role: "VIEWER" },
  // refresh: the HttpOnly cookie is the credential (the access token has usually expired by then).
  { method: "POST", path: /^\/api\/auth\/(login|refresh|forgot-password|reset-password)$/, role: "public" },
  // A browser page (no token); it answers 404 in production.
  { method: "GET", path: /^\/api\/dev\/outbox$/, role: "public" },
  { method: "*", path: /^\/api\/auth\//, role: "VIEWER" },
  // A calendar app fetches the feed with no token: the secret in the URL is the credential (worker/routes/calendar.ts).
  { method: "GET", path: /^\/api\/calendar\/[^/]+\/feed\.ics$/, role: "public" },
  // Everyone manages their own feed URL, VIEWERs included (it shows only their own tasks and meetings).
  { method: "*", path: /^\/api\/calendar\/feed$/, role: "VIEWER" },
  // Everyone has a notification centre of their own: reading, marking read and choosing channels are not writes to
  // the CRM's data.
  { method: "*", path: /^\/api\/notifications(\/|$)/, role: "VIEWER" },
  // Everyone may list colleagues (owner pickers); only ADMIN manages them.
  { method: "GET", path: /^\/api\/users(\/[^/]+)?$/, role: "VIEWER" },
  { method: "*", path: /^\/api\/users/, role: "ADMIN" },
  { method: "GET", path: /^\/api\/pipeline\/stages$/, role: "VIEWER" },
  { method: "*", path: /^\/api\/pipeline\/stages$/, role: "ADMIN" },
  // Everyone reads pipelines and reason codes (board switcher, stage-change dialog); only ADMIN changes them.
  { method: "GET", path: /^\/api\/(pipelines|reason-codes)$/, role: "VIEWER" },
  { method: "*", path: /^\/api\/(pipelines|reason-codes)(\/|$)/, role: "ADMIN" },
  { method: "*", path: /^\/api\/(audit|api-keys|webhooks|ai\/usage|ai\/dead-letters)/, role: "ADMIN" },
  // Custom fields: every role reads the registry; only ADMIN defines fields.
  { method: "GET", path: /^\/api\/fields$/, role: "VIEWER" },
  { method: "*", path: /^\/api\/fields(\/|$)/, role: "ADMIN" },
  { method: "POST", path: /\/restore$/, role: "ADMIN" },
  // E-mail capture: your own inbound address is yours to make and revoke; the workspace's and its settings are ADMIN's.
  { method: "*", path: /^\/api\/email\/capture\/me$/, role: "USER" },
  { method: "*", path: /^\/api\/email\/(capture\/workspace|settings)$/, role: "ADMIN" },
  // Saved views: every role keeps views of its own (the services let only a view's owner, or an ADMIN, change it).
  { method: "*", path: /^\/api\/views(\/[^/]+)?$/, role: "VIEWER" },
  // Bulk changes are writes (USER); a bulk delete needs ADMIN, checked by the service (the body says which).
  // Refitting the win score and its settings are workspace-wide: ADMIN. Reading scores and figures: everyone.
  { method: "GET", path: /^\/api\/insights\/settings$/, role: "VIEWER" },
  { method: "*", path: /^\/api\/insights\/(refit|settings)$/, role: "ADMIN" },
  // A USER may delete files they uploaded themselves; the service refuses other people's (ADMIN deletes any).
  { method: "DELETE", path: /^\/api\/attachments\/[^/]+$/, role: "USER" },
  // Likewise a USER deletes their own comments; the service refuses other people's (ADMIN deletes any).
  { method: "DELETE", path: /^\/api\/(accounts|contacts|leads|opportunities|activities)\/[^/]+\/comments\/[^/]+$/, role: "USER" },
  // Automations: every role reads rules and their runs; only ADMIN builds, pauses, deletes or dry-runs them. An
  // inbound webhook carries its rule's token instead of a session (the service checks it).
  { method: "POST", path: /^\/api\/automations\/[^/]+\/webhook$/, role: "public" },
  { method: "GET", path: /^\/api\/automations(\/|$)/, role: "VIEWER" },
  { method: "*", path: /^\/api\/automations(\/|$)/, role: "ADMIN" },
];

export function requiredRole(method: string, path: string): Role | "public" {
  for (const r of rules) if ((r.method === "*" || r.method === method) && r.path.test(path)) return r.role;
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return "VIEWER";
  if (method === "DELETE") return "ADMIN";
  return "USER";
}

const rank: Record<Role, number> = { VIEWER: 0, USER: 1, ADMIN: 2 };

export function roleAllows(have: Role, need: Role): boolean {
  return rank[have] >= rank[need];
}
