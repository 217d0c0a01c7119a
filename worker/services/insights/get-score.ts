import { sql } from "drizzle-orm";
import { rowsOf, type Executor as PgExecutor } from "../../../db/client";
import { NotFoundError } from "../../lib/errors";
import type { DealScore, ScoreCitation, ScoreReason } from "../../schemas/insights";
import { FEATURES, featureQuery, featureVector, type FeatureKey } from "./features";
import { latestModel } from "./fit-model";
import { linear, sigmoid, type LogisticModel } from "./logistic";
import { MIN_CLOSED_DEALS, priorModel } from "./training";

type Executor = PgExecutor;
type Row = Record<string, unknown>;
const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const n = (v: unknown) => Number(v ?? 0);
const days = (v: unknown) => Math.round(n(v));
const pct = (w: unknown, t: unknown) => `${n(w)} of ${n(t)}`;
const plural = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;

/** What each signal says about this deal, and the records it rests on. */
function explain(key: FeatureKey, r: Row, norm: number | null, edits: Map<string, ScoreCitation>): { detail: string; citations: ScoreCitation[] } {
  const deal: ScoreCitation = { type: "opportunity", id: String(r.id), label: "this deal" };
  const acts = (list: string[], label: string) => list.map((id): ScoreCitation => ({ type: "activity", id, label }));
  switch (key) {
    case "stage":
      return { detail: `In ${String(r.stage_name)}, whose probability is ${n(r.stage_probability)}%`, citations: [deal] };
    case "days_in_stage":
      return { detail: `${days(r.days_in_stage)} days in ${String(r.stage_name)}${norm !== null ? `; deals usually leave it after ${Math.round(norm)}` : ""}`, citations: [deal] };
    case "since_inbound":
      return r.last_in_id
        ? { detail: `Last heard from the buyer ${days(r.days_since_in)} days ago`, citations: acts([String(r.last_in_id)], "last inbound touch") }
        : { detail: "No inbound call, e-mail or meeting recorded", citations: [deal] };
    case "since_outbound":
      return r.last_out_id
        ? { detail: `Last reached out ${days(r.days_since_out)} days ago`, citations: acts([String(r.last_out_id)], "last outbound touch") }
        : { detail: "No outbound call or e-mail recorded", citations: [deal] };
    case "recent":
      return { detail: `${plural(n(r.recent), "call, e-mail or meeting", "calls, e-mails or meetings")} in the last 14 days`, citations: [deal] };
    case "pushes":
      return { detail: `Close date pushed ${plural(n(r.pushes), "time")}`, citations: ids(r.push_ids).map((id) => edits.get(id)!).filter(Boolean) };
    case "amount_down":
      return { detail: `Amount lowered ${plural(n(r.amount_down), "time")}`, citations: ids(r.edit_ids).map((id) => edits.get(id)!).filter((c) => c?.label?.startsWith("amount")) };
    case "amount_up":
      return { detail: `Amount raised ${plural(n(r.amount_up), "time")}`, citations: ids(r.edit_ids).map((id) => edits.get(id)!).filter((c) => c?.label?.startsWith("amount")) };
    case "prob_moves":
      return { detail: `Probability moved ${n(r.prob_moves) > 0 ? "up" : "down"} on balance`, citations: ids(r.edit_ids).map((id) => edits.get(id)!).filter((c) => c?.label?.startsWith("probability")) };
    case "backward":
      return { detail: `Moved back a stage ${plural(n(r.backward), "time")}`, citations: acts(ids(r.backward_ids), "backward move") };
    case "owner_changes":
      return { detail: `Changed owner ${plural(n(r.owner_changes), "time")}`, citations: ids(r.edit_ids).map((id) => edits.get(id)!).filter((c) => c?.label?.startsWith("owner")) };
    case "contacts":
      return { detail: `${plural(n(r.contacts), "contact")} engaged in calls, e-mails or meetings`, citations: ids(r.contact_ids).map((id) => ({ type: "contact", id, label: "contact" })) };
    case "roles":
      return { detail: `${plural(n(r.roles), "contact")} with a role on the deal`, citations: [deal] };
    case "open_tasks":
      return { detail: n(r.open_tasks) ? `${plural(n(r.open_tasks), "open task")} (a next step is planned)` : "No open task: no next step planned", citations: acts(ids(r.task_ids), "open task") };
    case "account_won":
    case "account_lost":
      return {
        detail: `The account's earlier deals: ${n(r.account_won)} won, ${n(r.account_lost)} lost`,
        citations: ids(r.account_deal_ids).slice(0, 5).map((id) => ({ type: "opportunity", id, label: "earlier deal" })),
      };
    case "owner_rate":
      return {
        detail: `The owner won ${pct(r.owner_won, r.owner_closed)} closed deals (workspace: ${Math.round(n(r.base_rate) * 100)}%)`,
        citations: r.owner_id ? [{ type: "user", id: String(r.owner_id), label: String(r.owner_name ?? "owner") }] : [],
      };
    case "segment_rate":
      return { detail: `Deals in the segment "${String(r.segment)}" won ${pct(r.segment_won, r.segment_closed)}`, citations: [] };
    case "age":
      return { detail: `Opened ${days(r.age_days)} days ago`, citations: [deal] };
  }
}

/**
 * One deal's calibrated win probability with its top reasons: each signal's effect is the change in percentage points
 * when that signal is set to the workspace's typical value, and each reason cites the records it rests on.
 */
export async function getDealScore(input: { db: Executor; workspaceId: string; id: string; now?: Date }): Promise<DealScore> {
  const { db, workspaceId, id } = input;
  const now = (input.now ?? new Date()).toISOString();
  const [stored, res, extra] = await Promise.all([
    latestModel(db, workspaceId),
    db.execute(featureQuery({ workspaceId, cite: true, live: true, pairs: sql`select o.id, ${now}::timestamptz as as_of from opportunities o where o.id = ${id} and o.workspace_id = ${workspaceId} and o.deleted_at is null` })),
    db.execute(sql`
      select o.close_date::text as close_date, o.win_score, s.name as stage_name, s.kind, u.name as owner_name,
        (select (n->>'medianDays')::float8 from ai_stage_norms x cross join jsonb_array_elements(x.norms) n
          where x.workspace_id = ${workspaceId} and n->>'stageId' = o.stage_id::text and (n->>'samples')::int >= 3) as norm_days
      from opportunities o join pipeline_stages s on s.id = o.stage_id left join users u on u.id = o.owner_id
      where o.id = ${id} and o.workspace_id = ${workspaceId} and o.deleted_at is null`),
  ]);
  const base = rowsOf(res)[0];
  const info = rowsOf(extra)[0];
  if (!base || !info) throw new NotFoundError("Opportunity");
  const r: Row = { ...base, ...info };
  const editIds = [...ids(r.push_ids), ...ids(r.edit_ids)];
  const edits = new Map<string, ScoreCitation>();
  if (editIds.length) {
    const e = await db.execute(sql`select id, at, changes from audit_log where workspace_id = ${workspaceId} and id in ${editIds}`);
    for (const a of rowsOf(e)) {
      const ch = a.changes as Record<string, { from: unknown; to: unknown }>;
      const field = ["closeDate", "amount", "probability", "ownerId"].find((f) => f in ch) ?? "edit";
      const word = { closeDate: "close date", amount: "amount", probability: "probability", ownerId: "owner" }[field] ?? field;
      const v = ch[field];
      const label = field === "ownerId" || !v ? `${word} changed` : `${word} ${String(v.from ?? "—")} → ${String(v.to ?? "—")}`;
      edits.set(String(a.id), { type: "edit", id: String(a.id), label, at: new Date(String(a.at)).toISOString() });
    }
  }
  const useModel = stored?.kind === "logistic";
  const model: LogisticModel = useModel ? stored!.model : priorModel([]);
  const x = featureVector(r);
  const p = (xs: number[]) => sigmoid(model.platt.a * linear(model, xs) + model.platt.b);
  const score = Math.round(p(x) * 100);
  const reasons: ScoreReason[] = [];
  if (useModel) {
    FEATURES.forEach((f, j) => {
      if (f.key === "stage") return;
      const typical = [...x];
      typical[j] = model.means[j]!;
      const effect = Math.round((p(x) - p(typical)) * 100);
      if (effect === 0) return;
      reasons.push({ key: f.key, label: f.label, effect, ...explain(f.key, r, info.norm_days === null ? null : n(info.norm_days), edits) });
    });
    reasons.sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect));
  }
  reasons.splice(5);
  reasons.unshift({ key: "stage", label: "Stage probability", effect: 0, ...explain("stage", r, null, edits) });
  const closeDate = (info.close_date as string | null) ?? null;
  const soon = closeDate !== null && Date.parse(closeDate) <= Date.parse(now) + 30 * 86_400_000;
  const quiet = r.days_since_in === null || n(r.days_since_in) > 14;
  const slip = info.kind === "open" && soon && (n(r.pushes) > 0 || quiet);
  return {
    opportunityId: id,
    score,
    baseline: n(r.stage_probability),
    source: useModel ? "model" : "stage_probability",
    modelVersion: stored?.version ?? null,
    fittedAt: stored?.fittedAt ?? null,
    explanation: useModel
      ? `Fitted on ${stored!.closedDeals} closed deals of this workspace (model v${stored!.version})`
      : `Not enough history yet (${stored?.closedDeals ?? 0} of ${MIN_CLOSED_DEALS} closed deals): this is the stage probability`,
    reasons,
    slipRisk: slip
      ? { flagged: true, why: `Closes ${closeDate} and ${n(r.pushes) > 0 ? `was pushed ${plural(n(r.pushes), "time")}` : "the buyer has been quiet for over 14 days"}` }
      : { flagged: false, why: null },
  };
}
