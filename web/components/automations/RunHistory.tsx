import { Link } from "react-router";
import { automationQueries, type AutomationRun } from "../../lib/automations";
import { formatDateTime } from "../../lib/format";
import { useQueryResource } from "../../lib/useResource";
import { ErrorState } from "../ErrorState";
import { Badge, type BadgeTone } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Skeleton } from "../ui/Skeleton";

const TONE: Record<AutomationRun["status"], BadgeTone> = { queued: "neutral", running: "accent", waiting: "accent", succeeded: "success", failed: "danger", skipped: "warning" };
const PLURAL: Record<string, string> = { opportunity: "opportunities", account: "accounts", contact: "contacts", lead: "leads" };

const ms = (n: number | null) => (n === null ? "—" : n < 1000 ? `${n} ms` : `${(n / 1000).toFixed(1)} s`);

/** A rule's runs, newest first: what triggered each, every step's result or error, and how long it took. */
export function RunHistory({ automationId, name }: { automationId: string; name: string }) {
  const runs = useQueryResource(automationQueries.runs(automationId));
  return (
    <section aria-labelledby="run-history-title" className="space-y-3">
      <div className="flex items-center gap-2">
        <h3 id="run-history-title" className="text-sm font-semibold text-slate-900">
          Run history: {name}
        </h3>
        <Button size="sm" variant="ghost" className="ml-auto" onClick={runs.reload} loading={runs.isRefreshing}>
          Refresh
        </Button>
      </div>
      {runs.status === "loading" && <Skeleton className="h-24 w-full rounded-lg" />}
      {runs.status === "error" && <ErrorState title="Couldn’t load the runs" error={runs.error} onRetry={runs.reload} />}
      {runs.status === "success" && (runs.data ?? []).length === 0 && <p className="text-sm text-slate-500">No runs yet.</p>}
      {runs.status === "success" && (runs.data ?? []).length > 0 && (
        <ol className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" aria-label="Runs">
          {runs.data!.map((run) => (
            <li key={run.id} className="space-y-1.5 px-4 py-3">
              <div className="flex flex-wrap items-center gap-2 text-sm">
                <Badge tone={TONE[run.status]}>{run.status}</Badge>
                <span className="text-slate-700">{String(run.triggerEvent.type ?? "trigger")}</span>
                {run.recordId && run.recordType && PLURAL[run.recordType] && (
                  <Link className="text-accent underline-offset-2 hover:underline" to={`/${PLURAL[run.recordType]}/${run.recordId}`}>
                    the {run.recordType === "opportunity" ? "deal" : run.recordType}
                  </Link>
                )}
                <span className="ml-auto text-xs text-slate-500">
                  {formatDateTime(run.createdAt)} · {ms(run.durationMs)}
                </span>
              </div>
              {run.error && <p className="text-sm text-red-700">{run.error}</p>}
              {run.steps.length > 0 && (
                <ul className="space-y-0.5 pl-2 text-xs text-slate-600" aria-label="Steps">
                  {run.steps.map((s) => (
                    <li key={s.index}>
                      {s.index + 1}. {s.type.replaceAll("_", " ")} — <span className={s.status === "failed" ? "text-red-700" : ""}>{s.status}</span>
                      {s.attempts > 1 ? ` after ${s.attempts} attempts` : ""} · {ms(s.durationMs)}
                      {s.error ? `: ${s.error}` : ""}
                      {s.result && typeof s.result.reason === "string" ? `: ${s.result.reason}` : ""}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
