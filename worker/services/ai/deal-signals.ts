import type { Database } from "../../../db/client";
import { buildContext } from "../../ai/context";
import type { PrivateField } from "../../ai/context-types";
import type { DealSignal } from "../../schemas/ai";

export interface DealHealth {
  opportunityId: string;
  name: string;
  stage: { id: string; name: string; kind: string };
  /** The worst signal's status: risk > warning > ok; unknown when nothing could be judged. */
  overall: DealSignal["status"];
  signals: DealSignal[];
}

const rank: Record<DealSignal["status"], number> = { unknown: 0, ok: 1, warning: 2, risk: 3 };

/**
 * A deal's health as the AI features see it (days in stage against the stage's norm, silence, overdue tasks, close
 * date, next step, engaged contacts), each signal with its reason and the records it cites. Computed from the
 * record, without calling a model: no tokens, no AI limits, nothing stored. 404 for a deal of another workspace.
 */
export async function dealHealth(input: { db: Database; workspaceId: string; opportunityId: string; privateFields: PrivateField[] }): Promise<DealHealth> {
  const ctx = await buildContext({ db: input.db, workspaceId: input.workspaceId, target: { type: "opportunity", id: input.opportunityId }, privateFields: input.privateFields });
  const o = ctx.opportunity!;
  const judged = ctx.signals.filter((s) => s.status !== "unknown");
  const overall = judged.reduce<DealSignal["status"]>((worst, s) => (rank[s.status] > rank[worst] ? s.status : worst), judged.length ? "ok" : "unknown");
  return { opportunityId: o.id, name: ctx.target.name, stage: { id: o.stage.id, name: o.stage.name, kind: o.stage.kind }, overall, signals: ctx.signals };
}
