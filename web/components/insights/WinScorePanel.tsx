import { Link } from "react-router";
import type { ScoreCitation } from "../../../worker/schemas/insights";
import { formatDateTime } from "../../lib/format";
import { insightsQueries } from "../../lib/insights";
import { useQueryResource } from "../../lib/useResource";
import { WinScoreBadge } from "./WinScoreBadge";

/** Where a cited record lives: a deal or contact page, an activity on this page's timeline, an edit (shown inline). */
function CitationLink({ c }: { c: ScoreCitation }) {
  const label = c.label ?? c.type;
  const cls = "rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700 hover:bg-slate-200";
  if (c.type === "activity") return <a href={`#activity-${c.id}`} className={cls} data-citation={c.id}>{label}</a>;
  if (c.type === "opportunity") return <Link to={`/opportunities/${c.id}`} className={cls} data-citation={c.id}>{label}</Link>;
  if (c.type === "contact") return <Link to={`/contacts/${c.id}`} className={cls} data-citation={c.id}>{label}</Link>;
  if (c.type === "user") return <span className={cls} data-citation={c.id}>{label}</span>;
  return (
    <span className={cls} data-citation={c.id} title="A change in this deal's history">
      {label}
      {c.at ? `, ${formatDateTime(c.at)}` : ""}
    </span>
  );
}

/** The deal page's win score: the calibrated chance, what it rests on, and the reasons with the records they cite. */
export function WinScorePanel({ opportunityId }: { opportunityId: string }) {
  const { data, status } = useQueryResource(insightsQueries.dealScore(opportunityId));
  return (
    <section aria-labelledby="win-score-title" className="rounded-xl border border-slate-200 bg-white">
      <div className="flex items-center gap-2 border-b border-slate-100 px-4 py-3">
        <h2 id="win-score-title" className="text-sm font-semibold text-slate-900">
          Win score
        </h2>
        {data && <WinScoreBadge score={data.score} className="text-xs" />}
        {data && <span className="ml-auto text-xs text-slate-500">stage: {data.baseline}%</span>}
      </div>
      <div className="px-4 py-3 text-sm">
        {status === "loading" && <p className="text-slate-500">Scoring…</p>}
        {status === "error" && <p className="text-red-700">The score could not be loaded.</p>}
        {data && (
          <>
            <p className="text-xs text-slate-500" data-testid="score-explanation">
              {data.explanation}
            </p>
            {data.slipRisk.flagged && (
              <p className="mt-2 rounded bg-amber-50 px-2 py-1 text-xs text-amber-900" data-testid="slip-risk">
                Likely to slip: {data.slipRisk.why}
              </p>
            )}
            <ul className="mt-2 space-y-2" aria-label="Reasons">
              {data.reasons.map((r) => (
                <li key={r.key} data-reason={r.key}>
                  <div className="flex items-baseline gap-2">
                    <span className="min-w-0 flex-1 text-slate-800">{r.detail}</span>
                    {r.effect !== 0 && (
                      <span className={`tabular shrink-0 text-xs font-semibold ${r.effect > 0 ? "text-emerald-700" : "text-red-700"}`}>
                        {r.effect > 0 ? "+" : "−"}
                        {Math.abs(r.effect)} pts
                      </span>
                    )}
                  </div>
                  {r.citations.length > 0 && (
                    <div className="mt-1 flex flex-wrap gap-1">
                      {r.citations.slice(0, 4).map((c) => (
                        <CitationLink key={`${c.type}-${c.id}`} c={c} />
                      ))}
                    </div>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </section>
  );
}
