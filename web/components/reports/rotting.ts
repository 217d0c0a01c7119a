import type { RottingReport } from "../../../worker/schemas/reports";
import { formatCount, pluralize } from "../../lib/format";
import { stageCountDataset, stageLabel, type Dataset } from "./datasets";

const ROT = "#d97706";
const LIMIT_FROM = { stage: "Stage setting", median: "Workspace median" } as const;

/**
 * Rotting deals: the chart counts them per stage, the table adds each stage's limit, worst days over and amounts per
 * currency, and the list names the deals themselves (the most days over first), each linking to its page.
 * `filters` carry over to the board's rotting filter when the list is capped.
 */
export function rottingDataset(r: RottingReport, filters: { pipelineId?: string; ownerId?: string; currency?: string }): Dataset {
  const multi = new Set(r.stages.map((s) => s.pipelineId)).size > 1;
  const unlimited = r.stages.filter((s) => s.agingLimit === null).map((s) => stageLabel(s, multi));
  const board = new URLSearchParams({ rotting: "true" });
  if (filters.pipelineId) board.set("pipeline", filters.pipelineId);
  if (filters.ownerId) board.set("ownerId", filters.ownerId);
  if (filters.currency) board.set("currency", filters.currency);
  const capped = r.total > r.deals.length;
  return {
    ...stageCountDataset({
      title: "Rotting deals by stage",
      stages: r.stages,
      count: { label: "Rotting deals", color: ROT },
      before: {
        columns: [
          { key: "agingLimit", label: "Aging limit", kind: "days" },
          { key: "limitSource", label: "Limit from", kind: "text" },
        ],
        values: (s) => ({ agingLimit: s.agingLimit, limitSource: s.limitSource ? LIMIT_FROM[s.limitSource] : "No limit" }),
      },
      after: { columns: [{ key: "worstDaysOver", label: "Worst days over", kind: "days" }], values: (s) => ({ worstDaysOver: s.worstDaysOver }) },
      note: unlimited.length
        ? `Nothing rots in ${unlimited.join(", ")}: no aging limit set (Settings → Pipelines), and fewer than five deals have left it for the workspace's median.`
        : undefined,
    }),
    list: {
      key: "deals",
      title: capped ? `The ${formatCount(r.deals.length)} most overdue of ${pluralize(r.total, "rotting deal")}` : pluralize(r.total, "rotting deal"),
      empty: "No deal is past its stage's aging limit.",
      more: capped ? { label: "See them all on the board", to: `/pipeline?${board}` } : undefined,
      columns: [
        { key: "name", label: "Deal", kind: "text", href: (row) => `/opportunities/${String(row.key)}` },
        { key: "owner", label: "Owner", kind: "text" },
        { key: "stage", label: "Stage", kind: "text" },
        { key: "daysInStage", label: "Days in stage", kind: "days" },
        { key: "daysOver", label: "Days over", kind: "days" },
        { key: "currency", label: "Currency", kind: "text" },
        { key: "amount", label: "Amount", kind: "money" },
      ],
      rows: r.deals.map((d) => ({
        key: d.id,
        name: d.name,
        owner: d.ownerName ?? "No owner",
        stage: stageLabel({ name: d.stageName, pipelineName: d.pipelineName }, multi),
        daysInStage: d.daysInStage,
        daysOver: d.daysOver,
        currency: d.currency,
        amount: d.amount,
      })),
    },
  };
}
