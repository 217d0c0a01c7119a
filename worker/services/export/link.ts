import { and, eq, isNull } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { users } from "../../../db/schema";
import type { AuthContext } from "../../app-env";
import { signToken } from "../../lib/jwt";
import type { ImportEntity } from "../../schemas/import-export";
import { ForbiddenError, UnauthorizedError } from "../../lib/errors";

/** Long enough for the browser to follow the link at once, short enough that a copied URL is useless. */
export const EXPORT_LINK_TTL_SECONDS = 60;

/**
 * The key export links are signed with: derived from the session secret and the entity, so a link is never a
 * session token (Bearer verification uses the plain secret) and opens only the export it was made for.
 */
export const exportLinkSecret = (secret: string, entity: string) => `${secret}\u0000export-link\u0000${entity}`;

/**
 * A URL the browser can simply navigate to (a normal download: the browser streams it to disk, the SPA holds
 * nothing in memory). A navigation cannot send the Bearer header, so the URL carries a one-minute token signed
 * for this user, workspace and entity, revoked like a session by a password change or deactivation.
 */
export async function createExportLink(input: {
  db: Executor;
  actor: AuthContext;
  entity: ImportEntity;
  /** The list's query string (filters, sort, bom), passed through to the export. */
  search: URLSearchParams;
  secret: string;
  now?: Date;
}): Promise<{ url: string; expiresAt: string }> {
  const [user] = await input.db
    .select({ tokenVersion: users.tokenVersion })
    .from(users)
    .where(and(eq(users.id, input.actor.userId), eq(users.workspaceId, input.actor.workspaceId), isNull(users.deletedAt)))
    .limit(1);
  if (!user) throw new UnauthorizedError("The token is invalid or expired; sign in again");
  // The link lives inside the caller's session, so signing out ends it too. An API key has no session: it sends its
  // Authorization header to the export URL itself.
  if (!input.actor.sessionId) throw new ForbiddenError("Download links are for signed-in sessions; with an API key, GET the export URL with your Authorization header");
  const token = await signToken(
    { sub: input.actor.userId, ws: input.actor.workspaceId, role: input.actor.role, tv: user.tokenVersion, sid: input.actor.sessionId },
    exportLinkSecret(input.secret, input.entity),
    EXPORT_LINK_TTL_SECONDS,
  );
  const search = new URLSearchParams(input.search);
  search.delete("download");
  search.set("download", token);
  const expiresAt = new Date((input.now ?? new Date()).getTime() + EXPORT_LINK_TTL_SECONDS * 1000).toISOString();
  return { url: `/api/export/${input.entity}.csv?${search.toString()}`, expiresAt };
}
