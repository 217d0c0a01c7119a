import { sql } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { passwordResetTokens, users } from "../../../db/schema";
import type { EmailProvider } from "../../email";
import { randomToken, sha256Hex } from "../../lib/tokens";
import { canonicalEmail } from "../../schemas/email";
import { recordAudit } from "../audit/record";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);

/**
 * Issues a single-use reset link for the account with this e-mail, if there is an active one, and mails it.
 * Unknown or deactivated addresses do nothing: the route answers the same 202 either way, before this runs.
 * Only the token's SHA-256 is stored; the token itself exists only in the e-mail.
 */
export async function requestPasswordReset(input: {
  db: Executor;
  email: string;
  appUrl: string;
  ttlMinutes: number;
  brandName: string;
  mailer: EmailProvider;
  requestId?: string;
  now?: Date;
}): Promise<{ sent: boolean }> {
  const [user] = await input.db
    .select({ id: users.id, email: users.email, name: users.name, workspaceId: users.workspaceId })
    .from(users)
    .where(sql`lower(${users.email}) = ${canonicalEmail(input.email) ?? ""} and ${users.deletedAt} is null and ${users.active}`)
    .limit(1);
  if (!user) return { sent: false };

  const token = randomToken();
  const now = input.now ?? new Date();
  await input.db.insert(passwordResetTokens).values({
    userId: user.id,
    tokenHash: await sha256Hex(token),
    expiresAt: new Date(now.getTime() + input.ttlMinutes * 60_000),
  });
  await recordAudit(input.db, { userId: null, workspaceId: user.workspaceId, requestId: input.requestId }, {
    action: "user.password_reset_requested",
    entityType: "user",
    entityId: user.id,
  });

  const link = `${input.appUrl}/reset-password?token=${encodeURIComponent(token)}`;
  const brand = input.brandName;
  const text = [
    `Hello ${user.name},`,
    "",
    `Someone (hopefully you) asked to reset the password of your ${brand} account (${user.email}).`,
    `Choose a new password here — the link works once and expires in ${input.ttlMinutes} minutes:`,
    "",
    link,
    "",
    "If you did not ask for this, ignore this e-mail: your password stays as it is.",
  ].join("\n");
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#0f172a">
<p>Hello ${escapeHtml(user.name)},</p>
<p>Someone (hopefully you) asked to reset the password of your ${escapeHtml(brand)} account (${escapeHtml(user.email)}).</p>
<p><a href="${escapeHtml(link)}" style="display:inline-block;padding:10px 16px;background:#4f46e5;color:#fff;border-radius:6px;text-decoration:none">Choose a new password</a></p>
<p>The link works once and expires in ${input.ttlMinutes} minutes. If the button does not work, paste this address into your browser:<br>${escapeHtml(link)}</p>
<p>If you did not ask for this, ignore this e-mail: your password stays as it is.</p>
</body></html>`;
  await input.mailer.send({ to: user.email, subject: `Reset your ${brand} password`, text, html });
  return { sent: true };
}
