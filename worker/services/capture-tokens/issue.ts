import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { captureTokens } from "../../../db/schema";
import { sha256Hex } from "../../lib/tokens";
import { recordAudit, type Actor } from "../audit/record";

export type CaptureTokenKind = "inbound_workspace" | "inbound_user" | "ics";

/**
 * A new secret for an inbound address or a calendar feed, replacing (revoking) the owner's previous one of the same
 * kind in the same transaction. Returned once; only its SHA-256 is stored. Lower-case hex, because mail systems may
 * fold the case of an address's local part.
 */
export async function issueCaptureToken(input: { db: Database; actor: Actor; kind: CaptureTokenKind }): Promise<{ token: string; createdAt: string }> {
  const { db, actor, kind } = input;
  const userId = kind === "inbound_workspace" ? null : actor.userId;
  const token = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
  const row = await db.transaction(async (tx) => {
    await tx
      .update(captureTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(captureTokens.workspaceId, actor.workspaceId), eq(captureTokens.kind, kind), userId ? eq(captureTokens.userId, userId) : isNull(captureTokens.userId), isNull(captureTokens.revokedAt)));
    const [created] = await tx
      .insert(captureTokens)
      .values({ workspaceId: actor.workspaceId, userId, kind, tokenHash: await sha256Hex(token), prefix: token.slice(0, 6) })
      .returning();
    await recordAudit(tx, actor, { action: `${kind}.issued`, entityType: "capture_token", entityId: created!.id, changes: { prefix: { from: null, to: created!.prefix } } });
    return created!;
  });
  return { token, createdAt: row.createdAt.toISOString() };
}
