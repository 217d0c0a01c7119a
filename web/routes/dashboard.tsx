import { useMemo, useState, type ReactNode } from "react";
import { aiByline, aiLabel, isAiActivity, useShowAiEntries } from "../lib/ai-feed";
import { Link, useSearchParams } from "react-router";
import { EmptyState } from "../components/EmptyState";
import { ErrorState } from "../components/ErrorState";
import { CheckIcon, MailIcon, MeetingIcon, NoteIcon, PhoneIcon, SparklesIcon, TaskIcon } from "../components/icons";
import { PageHeader } from "../components/PageHeader";
import { DealWatch } from "../components/reports/DealWatch";
import { Skeleton } from "../components/ui/Skeleton";
import { useToast } from "../components/ui/Toast";
import { errorMessage } from "../lib/api";
import { hasRole, useCurrentUser } from "../lib/auth";
import { formatCount, formatMoney, formatPercent } from "../lib/format";
import { updateActivity, type Activity, type Page } from "../lib/records";
import { recordPath, type SearchType } from "../lib/search";
import type { CurrencyTotal, Pipeline, PipelineStage } from "../lib/api-types";
import type { TaskCounts } from "../../worker/schemas/dashboard";
import { queries, startOfLocalDay } from "../lib/queries";
import { useQueryResource } from "../lib/useResource";
import { usePipelines } from "../lib/pipelines";
import { PipelineSwitcher } from "../components/pipeline/PipelineSwitcher";

/**
 * /dashboard — pipeline by stage, forecast, my open tasks (overdue first) and recent activity. The four requests
 * start together on mount (no waterfall); each panel has its own loading and error state.
 */
export default function DashboardRoute() {
  const user = useCurrentUser();
  const [searchParams, setSearchParams] = useSearchParams();

  // One pipeline at a time (?pipeline=, else the workspace's default): "by stage" needs one stage list, and the
  // forecast is that pipeline's. Totals only: the board's cards are not needed here (cardsPerStage=0).
  const pipelines = usePipelines();
  const pipelineId = searchParams.get("pipeline") ?? undefined;
  const pipeline = useQueryResource(queries.dashboardPipeline(pipelineId));
  const several = (pipelines?.length ?? 0) > 1;
  const tasks = useQueryResource(queries.myOpenTasks(user.id));
  // Exact counts from the server: the page above holds at most 50 of what may be tens of thousands of tasks.
  const overdueBefore = startOfLocalDay();
  const taskCounts = useQueryResource(queries.taskCounts(user.id, overdueBefore));
  const [showAi, setShowAi] = useShowAiEntries(user.id);
  const recent = useQueryResource(queries.recentActivity(showAi ? "latest" : "hide"));
  const people = useQueryResource(queries.users());
  const watch = useQueryResource(queries.dealWatch());

  const currencies = useMemo(() => currenciesOf(pipeline.data), [pipeline.data]);
  const wanted = searchParams.get("currency");
  const currency = currencies.find((c) => c === wanted) ?? currencies[0] ?? null;
  const names = useMemo(() => new Map((people.data ?? []).map((u) => [u.id, u.name])), [people.data]);

  return (
    <div>
      <PageHeader
        title="Dashboard"
        description={`Good ${partOfDay()}, ${user.name.split(" ")[0]}. Here is where things stand.`}
        actions={
          several &&
          pipelines && (
            <PipelineSwitcher
              pipelines={pipelines}
              value={pipeline.data?.pipeline.id ?? pipelineId}
              onChange={(id) => setSearchParams((p) => ({ ...Object.fromEntries(p), pipeline: id }), { replace: true })}
            />
          )
        }
      />
      <div className="mx-auto grid w-full max-w-7xl gap-4 px-4 py-6 sm:px-6 lg:grid-cols-3">
        <Panel title={several && pipeline.data ? `Forecast · ${pipeline.data.pipeline.name}` : "Forecast"} className="lg:col-span-3" id="forecast">
          {pipeline.status === "loading" ? (
            <div className="grid gap-3 sm:grid-cols-3" aria-hidden="true">
              {[0, 1, 2].map((i) => (
                <Skeleton key={i} className="h-20 rounded-lg" />
              ))}
            </div>
          ) : pipeline.status === "error" ? (
            <ErrorState title="Couldn’t load the forecast" error={pipeline.error} onRetry={pipeline.reload} />
          ) : (
            <Forecast pipeline={pipeline.data!} />
          )}
        </Panel>

        <Panel title="Deal watch" className="lg:col-span-3" id="deal-watch">
          {watch.status === "loading" ? (
            <Skeleton className="h-24 rounded-lg" />
          ) : watch.status === "error" ? (
            <ErrorState title="Couldn’t load closing and slipped deals" error={watch.error} onRetry={watch.reload} />
          ) : (
            <DealWatch data={watch.data!} />
          )}
        </Panel>

        <Panel
          title="Pipeline by stage"
          className="lg:col-span-2"
          id="by-stage"
          actions={
            currencies.length > 1 && (
              <div role="group" aria-label="Currency" className="flex gap-1 rounded-md bg-slate-100 p-0.5">
                {currencies.map((c) => (
                  <button
                    key={c}
                    type="button"
                    aria-pressed={c === currency}
                    onClick={() => setSearchParams((p) => ({ ...Object.fromEntries(p), currency: c }), { replace: true })}
                    className={`rounded px-2 py-0.5 text-xs font-medium ${c === currency ? "bg-white text-slate-900 shadow-xs" : "text-slate-600 hover:text-slate-900"}`}
                  >
                    {c}
                  </button>
                ))}
              </div>
            )
          }
        >
          {pipeline.status === "loading" ? (
            <div className="space-y-3" aria-hidden="true">
              {[0, 1, 2, 3, 4].map((i) => (
                <Skeleton key={i} className="h-8" />
              ))}
            </div>
          ) : pipeline.status === "error" ? (
            <ErrorState title="Couldn’t load the pipeline" error={pipeline.error} onRetry={pipeline.reload} />
          ) : currency ? (
            <StageBars stages={pipeline.data!.stages} currency={currency} boardPath={`/pipeline?pipeline=${pipeline.data!.pipeline.id}`} />
          ) : (
            <EmptyState title="No deals yet" description="Deals appear here once leads are converted or opportunities created." />
          )}
        </Panel>

        <Panel title="My open tasks" id="my-tasks" className="lg:row-span-2">
          {tasks.status === "loading" ? (
            <div className="space-y-2" aria-hidden="true">
              {[0, 1, 2, 3].map((i) => (
                <Skeleton key={i} className="h-12" />
              ))}
            </div>
          ) : tasks.status === "error" ? (
            <ErrorState title="Couldn’t load your tasks" error={tasks.error} onRetry={tasks.reload} />
          ) : (
            <MyTasks
              tasks={tasks.data!.data}
              counts={taskCounts.data ?? null}
              canEdit={hasRole(user, "USER")}
              onCompleted={(task) => {
                tasks.setData((page) => page && { ...page, data: page.data.filter((t) => t.id !== task.id) });
                taskCounts.setData((c) => c && adjustCounts(c, task, overdueBefore, -1));
              }}
              onRestored={(task) => {
                tasks.setData((page) => page && { ...page, data: [...page.data, task] });
                taskCounts.setData((c) => c && adjustCounts(c, task, overdueBefore, 1));
              }}
            />
          )}
        </Panel>

        <Panel
          title="Recent activity"
          className="lg:col-span-2"
          id="recent"
          actions={
            <label className="inline-flex items-center gap-1.5 text-xs text-slate-600">
              <input type="checkbox" className="size-3.5 rounded border-slate-300 accent-(--color-accent)" checked={showAi} onChange={(e) => setShowAi(e.target.checked)} />
              Show AI entries
            </label>
          }
        >
          {recent.status === "loading" ? (
            <div className="space-y-2" aria-hidden="true">
              {[0, 1, 2, 3, 4].map((i) => (
                <Skeleton key={i} className="h-10" />
              ))}
            </div>
          ) : recent.status === "error" ? (
            <ErrorState title="Couldn’t load recent activity" error={recent.error} onRetry={recent.reload} />
          ) : (
            <RecentActivity items={recent.data!.data} names={names} />
          )}
        </Panel>
      </div>
    </div>
  );
}

function Panel({ title, id, className = "", actions, children }: { title: string; id: string; className?: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-title`} className={`min-w-0 rounded-xl border border-slate-200 bg-white p-4 shadow-xs sm:p-5 ${className}`}>
      <div className="mb-4 flex items-center gap-3">
        <h2 id={`${id}-title`} className="text-sm font-semibold text-slate-900">
          {title}
        </h2>
        {actions && <div className="ml-auto">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------------------

function currenciesOf(pipeline: Pipeline | undefined): string[] {
  if (!pipeline) return [];
  const totals = new Map<string, number>();
  for (const stage of pipeline.stages) for (const t of stage.totals) totals.set(t.currency, (totals.get(t.currency) ?? 0) + t.count);
  // The currency with the most deals first: it is the one the chart shows by default.
  return [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([c]) => c);
}

function Forecast({ pipeline }: { pipeline: Pipeline }) {
  const won = new Map<string, CurrencyTotal>();
  for (const stage of pipeline.stages.filter((s) => s.kind === "won")) {
    for (const t of stage.totals) {
      const prev = won.get(t.currency);
      won.set(t.currency, prev ? { ...prev, amount: prev.amount + t.amount, count: prev.count + t.count } : t);
    }
  }
  if (pipeline.totals.length === 0 && won.size === 0) {
    return <p className="text-sm text-slate-500">No open deals yet: the forecast fills in as opportunities are created.</p>;
  }
  // One row per currency: amounts in different currencies are never added up.
  return (
    <div className="space-y-3">
      {pipeline.totals.map((t) => {
        const wonTotal = won.get(t.currency);
        return (
          <section key={t.currency} aria-label={`Forecast in ${t.currency}`} className="rounded-lg bg-slate-50 px-4 py-3">
            <dl className="grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-[4rem_repeat(4,minmax(0,1fr))] sm:items-end">
              <div className="col-span-2 sm:col-span-1">
                <dt className="sr-only">Currency</dt>
                <dd className="text-sm font-semibold text-slate-700">{t.currency}</dd>
              </div>
              <Stat label="Open pipeline · now" value={formatMoney(t.amount, t.currency, { wholeUnits: true })} strong />
              <Stat
                label="Weighted forecast"
                value={formatMoney(t.weighted, t.currency, { wholeUnits: true })}
                note={t.amount ? `${formatPercent((t.weighted / t.amount) * 100)} of open` : undefined}
                strong
                accent
              />
              <Stat label="Open deals · now" value={formatCount(t.count)} />
              <Stat label="Won · all time" value={wonTotal ? formatMoney(wonTotal.amount, t.currency, { wholeUnits: true }) : "—"} />
            </dl>
          </section>
        );
      })}
    </div>
  );
}

function Stat({ label, value, note, strong = false, accent = false }: { label: string; value: string; note?: string; strong?: boolean; accent?: boolean }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className={`tabular truncate ${strong ? "text-lg font-semibold" : "text-base font-medium"} ${accent ? "text-accent-hover" : "text-slate-900"}`}>
        {value}
        {note && <span className="sr-only"> ({note})</span>}
      </dd>
      {note && (
        <dd aria-hidden="true" className="text-xs text-slate-500">
          {note}
        </dd>
      )}
    </div>
  );
}

function StageBars({ stages, currency, boardPath }: { stages: PipelineStage[]; currency: string; boardPath: string }) {
  const rows = stages.map((s) => {
    const t = s.totals.find((x) => x.currency === currency);
    return { stage: s, amount: t?.amount ?? 0, weighted: t?.weighted ?? 0, count: t?.count ?? 0 };
  });
  const max = Math.max(1, ...rows.map((r) => r.amount));
  return (
    <ol className="space-y-3">
      {rows.map(({ stage, amount, weighted, count }) => {
        const tone = stage.kind === "won" ? "bg-emerald-500" : stage.kind === "lost" ? "bg-slate-300" : "bg-accent";
        return (
          <li key={stage.id}>
            <Link to={boardPath} className="group block rounded-md focus-visible:outline-offset-4">
              <div className="flex items-baseline gap-2 text-sm">
                <span className="font-medium text-slate-800 group-hover:text-slate-900">{stage.name}</span>
                <span className="text-xs text-slate-500">
                  {formatCount(count)}
                  <span className="sr-only"> {count === 1 ? "deal" : "deals"},</span> · {stage.probability}%
                  <span className="sr-only"> probability,</span>
                </span>
                <span className="tabular ml-auto font-medium text-slate-900">
                  {formatMoney(amount, currency, { compact: true })}
                  {stage.kind === "open" && <span className="sr-only">, weighted {formatMoney(weighted, currency, { compact: true })}</span>}
                </span>
              </div>
              <div className="relative mt-1.5 h-2.5 overflow-hidden rounded-full bg-slate-100" aria-hidden="true">
                <div className={`absolute inset-y-0 left-0 rounded-full opacity-35 ${tone}`} style={{ width: `${(amount / max) * 100}%` }} />
                {stage.kind === "open" && <div className={`absolute inset-y-0 left-0 rounded-full ${tone}`} style={{ width: `${(weighted / max) * 100}%` }} />}
                {stage.kind !== "open" && <div className={`absolute inset-y-0 left-0 rounded-full ${tone}`} style={{ width: `${(amount / max) * 100}%` }} />}
              </div>
            </Link>
          </li>
        );
      })}
      <li aria-hidden="true" className="flex gap-4 pt-1 text-xs text-slate-500">
        <span className="inline-flex items-center gap-1.5">
          <span className="inline-block h-2 w-4 rounded-full bg-accent" /> weighted
        </span>
        <span className="inline-flex items-center gap-1.5">
          <span className="inline-block h-2 w-4 rounded-full bg-accent opacity-35" /> total
        </span>
      </li>
    </ol>
  );
}

// ---------------------------------------------------------------------------------------------------------

const TARGET_TYPES: { key: "opportunityId" | "leadId" | "contactId" | "accountId"; type: SearchType; label: string }[] = [
  { key: "opportunityId", type: "opportunity", label: "Opportunity" },
  { key: "leadId", type: "lead", label: "Lead" },
  { key: "contactId", type: "contact", label: "Contact" },
  { key: "accountId", type: "account", label: "Account" },
];

/** The most specific record an activity belongs to (a deal before its account), by name when the API gave it. */
function targetOf(a: Activity & { target?: { type: SearchType; id: string; name: string | null } | null }): { path: string; label: string } | null {
  if (a.target?.name) return { path: recordPath(a.target.type, a.target.id), label: a.target.name };
  for (const t of TARGET_TYPES) {
    const id = a[t.key];
    if (id) return { path: recordPath(t.type, id), label: `Open ${t.label.toLowerCase()}` };
  }
  return null;
}

function dayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** The counts after completing (-1) or restoring (+1) a task, so they agree with the list without a refetch. */
function adjustCounts(c: TaskCounts, task: Activity, overdueBefore: string, delta: 1 | -1): TaskCounts {
  const overdue = !!task.dueAt && new Date(task.dueAt).getTime() < new Date(overdueBefore).getTime();
  return { ...c, open: Math.max(0, c.open + delta), overdue: Math.max(0, c.overdue + (overdue ? delta : 0)) };
}

function MyTasks({
  tasks,
  counts,
  canEdit,
  onCompleted,
  onRestored,
}: {
  tasks: Activity[];
  /** Exact totals from the server; null while they load (or if they failed): then nothing claims a total. */
  counts: TaskCounts | null;
  canEdit: boolean;
  onCompleted: (task: Activity) => void;
  onRestored: (task: Activity) => void;
}) {
  const toast = useToast();
  const [busy, setBusy] = useState<string | null>(null);
  const [showAll, setShowAll] = useState(false);
  const today = dayKey(new Date().toISOString());
  // Overdue first, then today, upcoming, and tasks without a due date last.
  const sorted = [...tasks].sort((a, b) => (a.dueAt ?? "9999").localeCompare(b.dueAt ?? "9999"));
  const overdue = counts?.overdue ?? 0;

  async function complete(task: Activity) {
    setBusy(task.id);
    try {
      await updateActivity(task.id, { completed: true });
      onCompleted(task);
      toast.success(`Done: ${task.subject ?? "task"}`, {
        action: {
          label: "Undo",
          onClick: () => {
            void updateActivity(task.id, { completed: false }).then(() => onRestored(task), (err: unknown) => toast.error(errorMessage(err)));
          },
        },
      });
    } catch (err) {
      toast.error(`Couldn’t complete the task: ${errorMessage(err)}`);
    } finally {
      setBusy(null);
    }
  }

  if (sorted.length === 0) {
    return <EmptyState icon={<CheckIcon width={20} height={20} />} title="Nothing due" description="Tasks you own appear here, overdue ones first." />;
  }
  return (
    <>
      {counts && (
        <p className="mb-3 flex flex-wrap items-baseline gap-x-3 text-sm" data-testid="task-counts">
          {overdue > 0 && <span className="rounded-md bg-red-50 px-3 py-1.5 font-medium text-red-700">{formatCount(overdue)} overdue</span>}
          <span className="text-slate-500">{formatCount(counts.open)} open</span>
        </p>
      )}
      <ul className="-mx-2 divide-y divide-slate-100">
        {(showAll ? sorted : sorted.slice(0, TASKS_SHOWN)).map((task) => {
          const due = task.dueAt ? dayKey(task.dueAt) : null;
          const late = !!due && due < today;
          const target = targetOf(task);
          return (
            <li key={task.id} className="flex items-start gap-3 px-2 py-2.5">
              {canEdit && (
                <input
                  type="checkbox"
                  checked={false}
                  disabled={busy === task.id}
                  onChange={() => void complete(task)}
                  aria-label={`Mark “${task.subject ?? "task"}” done`}
                  className="mt-0.5 size-4 shrink-0 rounded accent-(--accent)"
                />
              )}
              <div className="min-w-0 flex-1">
                <p className="text-sm font-medium text-slate-900">{task.subject ?? "Untitled task"}</p>
                <p className="mt-0.5 flex flex-wrap gap-x-2 text-xs">
                  <span className={late ? "font-medium text-red-700" : due === today ? "font-medium text-amber-700" : "text-slate-500"}>
                    {due ? (late ? `Overdue · due ${relativeDay(task.dueAt!)}` : `Due ${relativeDay(task.dueAt!)}`) : "No due date"}
                  </span>
                  {target && (
                    <Link to={target.path} className="text-slate-500 underline-offset-2 hover:text-slate-800 hover:underline">
                      {target.label}
                    </Link>
                  )}
                </p>
              </div>
            </li>
          );
        })}
      </ul>
      {sorted.length > TASKS_SHOWN && (
        <button
          type="button"
          aria-expanded={showAll}
          onClick={() => setShowAll((v) => !v)}
          className="mt-2 text-sm font-medium text-accent-hover underline-offset-2 hover:underline"
        >
          {showAll ? "Show fewer" : `Show ${sorted.length - TASKS_SHOWN} more`}
        </button>
      )}
      {showAll && counts && counts.open > sorted.length && (
        <p className="mt-2 text-xs text-slate-500">
          The {formatCount(sorted.length)} due first of {formatCount(counts.open)} open tasks.
        </p>
      )}
    </>
  );
}

/** Tasks listed before "Show all": the overdue and next few fit without scrolling. */
const TASKS_SHOWN = 8;

const ACTIVITY_ICON: Record<string, (p: { className?: string }) => ReactNode> = {
  note: NoteIcon,
  call: PhoneIcon,
  email: MailIcon,
  meeting: MeetingIcon,
  task: TaskIcon,
  ai_summary: SparklesIcon,
  ai_next_actions: SparklesIcon,
  ai_email_draft: SparklesIcon,
  ai_deal_brief: SparklesIcon,
};

const ACTIVITY_VERB: Record<string, string> = {
  note: "added a note",
  call: "logged a call",
  email: "logged an e-mail",
  meeting: "logged a meeting",
  task: "added a task",
  stage_change: "moved a deal",
  lead_converted: "converted a lead",
};

function RecentActivity({ items, names }: { items: Activity[]; names: Map<string, string> }) {
  if (items.length === 0) return <EmptyState title="No activity yet" description="Notes, calls, meetings and stage changes show up here as your team works." />;
  return (
    <ol className="-mx-2 divide-y divide-slate-100">
      {items.map((a) => {
        const Icon = ACTIVITY_ICON[a.type] ?? NoteIcon;
        const ai = isAiActivity(a.type);
        const who = a.actorId ? (names.get(a.actorId) ?? "Someone") : "The system";
        const target = targetOf(a);
        return (
          <li key={a.id} className="flex gap-3 px-2 py-2.5">
            <span className="mt-0.5 inline-flex size-7 shrink-0 items-center justify-center rounded-full bg-slate-100 text-slate-600">
              <Icon className="size-3.5" />
            </span>
            <div className="min-w-0 flex-1 text-sm">
              <p className="text-slate-700">
                {ai ? (
                  // The assistant's work, with who asked for it (never "Sam added an AI next actions").
                  <>
                    <span className="font-medium text-slate-900">{aiLabel(a.type)}</span> <span className="text-slate-500">· {aiByline(a.actorId ? who : null)}</span>
                  </>
                ) : (
                  <>
                    <span className="font-medium text-slate-900">{who}</span> {ACTIVITY_VERB[a.type] ?? a.type.replace(/_/g, " ")}
                  </>
                )}
                {a.subject && (
                  <>
                    : {target ? (
                      <Link to={target.path} className="font-medium text-slate-900 underline-offset-2 hover:underline">
                        {a.subject}
                      </Link>
                    ) : (
                      <span className="font-medium text-slate-900">{a.subject}</span>
                    )}
                  </>
                )}
              </p>
              {a.body && a.type !== "stage_change" && <p className="mt-0.5 line-clamp-1 text-slate-500">{a.body}</p>}
              {a.type === "stage_change" && a.body && <p className="mt-0.5 line-clamp-1 text-slate-500">Reason: {a.body}</p>}
              <p className="mt-0.5 text-xs text-slate-500">
                <time dateTime={a.happenedAt}>{relativeTime(a.happenedAt)}</time>
                {target && (
                  <>
                    {" · "}
                    <Link to={target.path} className="underline-offset-2 hover:underline">
                      {target.label}
                    </Link>
                  </>
                )}
              </p>
            </div>
          </li>
        );
      })}
    </ol>
  );
}

// ---------------------------------------------------------------------------------------------------------

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

/** "3 hours ago", "yesterday", "in 2 days". */
function relativeTime(iso: string): string {
  const diff = new Date(iso).getTime() - Date.now();
  const abs = Math.abs(diff);
  if (abs < 60_000) return "just now";
  if (abs < 3_600_000) return rtf.format(Math.round(diff / 60_000), "minute");
  if (abs < 86_400_000) return rtf.format(Math.round(diff / 3_600_000), "hour");
  if (abs < 30 * 86_400_000) return rtf.format(Math.round(diff / 86_400_000), "day");
  return new Date(iso).toLocaleDateString(undefined, { month: "short", day: "numeric", year: "numeric" });
}

/** Calendar-day distance: "today", "tomorrow", "3 days ago", else the date. */
function relativeDay(iso: string): string {
  const start = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((start(new Date(iso)) - start(new Date())) / 86_400_000);
  if (Math.abs(days) <= 6) return rtf.format(days, "day");
  return new Date(iso).toLocaleDateString(undefined, { month: "short", day: "numeric" });
}

function partOfDay(): string {
  const h = new Date().getHours();
  return h < 12 ? "morning" : h < 18 ? "afternoon" : "evening";
}
