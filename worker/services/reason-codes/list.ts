import { sql } from "drizzle-orm";
import { rowsOf, type Database, type Executor } from "../../../db/client";
import { reasonKinds, type ReasonCodes, type ReasonKind } from "../../schemas/reason-codes";

type Row = Record<string, unknown>;

/** The workspace's live reason codes per kind, in display order. */
export async function listReasonCodes(input: { db: Database; workspaceId: string }): Promise<ReasonCodes> {
  return readReasonCodes(input.db.http, input.workspaceId);
}

export async function readReasonCodes(db: Executor, workspaceId: string, kind?: ReasonKind): Promise<ReasonCodes> {
  const res = await db.execute(sql`
    select kind, value, label from reason_codes
    where workspace_id = ${workspaceId} and deleted_at is null ${kind ? sql`and kind = ${kind}` : sql``}
    order by kind, position, value`);
  const out: ReasonCodes = { open: [], won: [], lost: [] };
  for (const r of rowsOf(res)) {
    const k = r.kind as ReasonKind;
    if ((reasonKinds as readonly string[]).includes(k)) out[k].push({ value: String(r.value), label: String(r.label) });
  }
  return out;
}
