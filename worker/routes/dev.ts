import { desc } from "drizzle-orm";
import { emailOutbox } from "../../db/schema";
import { router } from "../lib/router";
import { problem } from "../middleware/errors";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);

/** Escapes the text, then turns its http(s) URLs into links (a reset link is one click away). */
const linkify = (text: string) =>
  escapeHtml(text).replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);

/**
 * Development-only pages. In production they do not exist: the same 404 as any unknown route, so nothing hints that
 * stored mails (with their reset links) are kept anywhere.
 */
export const devRoutes = router().get("/dev/outbox", async (c) => {
  if (c.var.config.ENVIRONMENT === "production") return problem(c, 404, "Not Found", `No route for ${c.req.method} ${c.req.path}`);
  const mails = await c.var.services.db.http.select().from(emailOutbox).orderBy(desc(emailOutbox.createdAt)).limit(100);
  const items = mails
    .map(
      (m) => `<article>
  <header><strong>${escapeHtml(m.subject)}</strong><span>to ${escapeHtml(m.to)} · ${m.createdAt.toISOString()}</span></header>
  <pre>${linkify(m.text)}</pre>
</article>`,
    )
    .join("\n");
  const provider = c.var.config.EMAIL_PROVIDER;
  return c.html(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Outbox · ${escapeHtml(c.var.config.BRAND_NAME)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem;color:#0f172a}
article{border:1px solid #e2e8f0;border-radius:8px;padding:1rem;margin:1rem 0}
header{display:flex;justify-content:space-between;gap:1rem;flex-wrap:wrap}
header span{color:#64748b;font-size:.875rem}
pre{white-space:pre-wrap;font-family:inherit}
.note{color:#64748b}
</style></head><body>
<h1>Development outbox</h1>
<p class="note">Mails stored by the <code>outbox</code> e-mail provider (newest first, last 100). The active provider is <code>${provider}</code>${provider === "outbox" ? "" : ": new mails are sent for real and do not appear here"}. This page does not exist in production.</p>
${items || "<p>No mails yet. Ask for a password reset on the sign-in page and it appears here.</p>"}
</body></html>`);
});
