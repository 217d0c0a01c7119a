import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { captureTokens } from "../../../db/schema";
import { recordAudit, type Actor } from "../audit/record";
import type { CaptureTokenKind } from "./issue";

/** Revokes the owner's live token of a kind: the address stops accepting mail / the feed answers 404 at once. */
export async function revokeCaptureToken(input: { db: Database; actor: Actor; kind: CaptureTokenKind }): Promise<{ revoked: number }> {
  const { db, actor, kind } = input;
  const userId = kind === "inbound_workspace" ? null : actor.userId;
  return db.transaction(async (tx) => {
    const gone = await tx
      .update(captureTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(captureTokens.workspaceId, actor.workspaceId), eq(captureTokens.kind, kind), userId ? eq(captureTokens.userId, userId) : isNull(captureTokens.userId), isNull(captureTokens.revokedAt)))
      .returning({ id: captureTokens.id });
    for (const g of gone) await recordAudit(tx, actor, { action: `${kind}.revoked`, entityType: "capture_token", entityId: g.id });
    return { revoked: gone.length };
  });
}
