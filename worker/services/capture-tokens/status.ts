import { and, eq, isNull, or } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { captureTokens } from "../../../db/schema";
import type { CaptureTokenKind } from "./issue";

export interface TokenStatus {
  prefix: string;
  createdAt: string;
}

/** The caller's live tokens (and the workspace's shared inbound one), without the secrets: prefix and age only. */
export async function captureTokenStatus(db: Executor, workspaceId: string, userId: string): Promise<Partial<Record<CaptureTokenKind, TokenStatus>>> {
  const rows = await db
    .select()
    .from(captureTokens)
    .where(and(eq(captureTokens.workspaceId, workspaceId), isNull(captureTokens.revokedAt), or(eq(captureTokens.userId, userId), eq(captureTokens.kind, "inbound_workspace"))));
  const out: Partial<Record<CaptureTokenKind, TokenStatus>> = {};
  for (const r of rows) out[r.kind] = { prefix: r.prefix, createdAt: r.createdAt.toISOString() };
  return out;
}
