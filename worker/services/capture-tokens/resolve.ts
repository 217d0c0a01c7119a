import { and, eq, isNull } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { captureTokens, users } from "../../../db/schema";
import { sha256Hex } from "../../lib/tokens";
import type { CaptureTokenKind } from "./issue";

/** The live token's owner, or null (unknown, revoked, or its user deactivated). */
export async function resolveCaptureToken(db: Executor, kinds: CaptureTokenKind[], token: string) {
  if (!/^[0-9a-f]{32}$/.test(token)) return null;
  const [row] = await db
    .select({ id: captureTokens.id, workspaceId: captureTokens.workspaceId, userId: captureTokens.userId, kind: captureTokens.kind, active: users.active })
    .from(captureTokens)
    .leftJoin(users, eq(users.id, captureTokens.userId))
    .where(and(eq(captureTokens.tokenHash, await sha256Hex(token)), isNull(captureTokens.revokedAt)))
    .limit(1);
  if (!row || !kinds.includes(row.kind) || (row.userId && !row.active)) return null;
  return { id: row.id, workspaceId: row.workspaceId, userId: row.userId, kind: row.kind };
}
