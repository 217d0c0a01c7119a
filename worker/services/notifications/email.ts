import type { notifications } from "../../../db/schema";
import type { EmailMessage } from "../../email";

type Row = Pick<typeof notifications.$inferSelect, "title" | "body" | "link">;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);

/** One e-mail listing notifications (one for an immediate e-mail, the day's for a digest), each with its link. */
export function notificationEmail(input: { to: string; name: string; subject: string; intro: string; rows: Row[]; appUrl: string; brand: string }): EmailMessage {
  const url = (r: Row) => (r.link ? `${input.appUrl.replace(/\/$/, "")}${r.link}` : null);
  const text = [
    `Hello ${input.name},`,
    "",
    input.intro,
    "",
    ...input.rows.flatMap((r) => [`• ${r.title}`, ...(r.body ? [`  ${r.body}`] : []), ...(url(r) ? [`  ${url(r)}`] : [])]),
    "",
    `Change what ${input.brand} e-mails you in your profile (Notifications).`,
  ].join("\n");
  const items = input.rows
    .map((r) => {
      const u = url(r);
      const title = u ? `<a href="${escapeHtml(u)}">${escapeHtml(r.title)}</a>` : escapeHtml(r.title);
      return `<li style="margin:0 0 8px">${title}${r.body ? `<br><span style="color:#475569">${escapeHtml(r.body)}</span>` : ""}</li>`;
    })
    .join("");
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#0f172a">
<p>Hello ${escapeHtml(input.name)},</p><p>${escapeHtml(input.intro)}</p><ul>${items}</ul>
<p style="color:#64748b;font-size:13px">Change what ${escapeHtml(input.brand)} e-mails you in your profile (Notifications).</p></body></html>`;
  return { to: input.to, subject: input.subject, text, html };
}
