/*
 * The AI panel of a detail page: the record's summary (queued: poll the job), and for deals the next best actions
 * (each can become a task), an e-mail draft to edit, save, copy or send (through the page's e-mail composer), and the deal brief. Every claim shows its
 * citations as links to the cited record or activity. Readers see what exists; only USER+ can generate.
 */
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { Link } from "react-router";
import type { EmailPrefill } from "../../components/detail/EmailComposer";
import { SparklesIcon } from "../../components/icons";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { Spinner } from "../../components/ui/Spinner";
import { useToast } from "../../components/ui/Toast";
import {
  aiErrorMessage,
  createSuggestedTask,
  dealBrief,
  draftEmail,
  EMAIL_TONES,
  latestSummary,
  nextBestActions,
  requestSummary,
  saveDraft,
  waitForJob,
  type AiSource,
  type DealBriefResult,
  type EmailDraftResult,
  type EmailTone,
  type NextActionsResult,
  type SummaryResult,
} from "../../lib/ai";
import { isAbortError } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { TARGET_ENTITY, type TargetType } from "../../lib/records";
import { formatRelative } from "../../lib/relative-time";

export interface AiInsightsProps {
  targetType: TargetType;
  targetId: string;
  canGenerate: boolean;
  /** A task or e-mail was created: refresh the timeline. */
  onActivityCreated: () => void;
  /** "Send…" on a draft: open the page's e-mail composer with it (the one way mail leaves the CRM). */
  onSendDraft?: (draft: EmailPrefill) => void;
}

export function AiInsights({ targetType, targetId, canGenerate, onActivityCreated, onSendDraft }: AiInsightsProps) {
  return (
    <section aria-label="AI insights" className="rounded-xl border border-slate-200 bg-white">
      <div className="flex items-center gap-2 border-b border-slate-100 px-4 py-3">
        <SparklesIcon className="size-4 text-accent" />
        <h2 className="text-sm font-semibold text-slate-900">AI insights</h2>
      </div>
      <div className="divide-y divide-slate-100">
        <SummarySection targetType={targetType} targetId={targetId} canGenerate={canGenerate} onDone={onActivityCreated} />
        {targetType === "opportunity" && <NextActionsSection opportunityId={targetId} canGenerate={canGenerate} onTaskCreated={onActivityCreated} />}
        {(targetType === "opportunity" || targetType === "contact") && canGenerate && <DraftEmailSection targetType={targetType} targetId={targetId} onSaved={onActivityCreated} onSend={onSendDraft} />}
        {targetType === "opportunity" && <DealBriefSection opportunityId={targetId} canGenerate={canGenerate} />}
      </div>
    </section>
  );
}

function Subsection({ title, action, children }: { title: string; action?: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="px-4 py-3">
      <div className="flex items-center justify-between gap-2">
        <h3 id={id} className="text-xs font-semibold tracking-wide text-slate-500 uppercase">
          {title}
        </h3>
        {action}
      </div>
      <div className="mt-2">{children}</div>
    </section>
  );
}

function ErrorLine({ error }: { error: unknown }) {
  return (
    <p role="alert" className="text-sm text-red-600">
      {aiErrorMessage(error)}
    </p>
  );
}

/** Citation chips: records link to their page, activities to their timeline entry. */
function Citations({ ids, sources }: { ids: readonly string[]; sources: readonly AiSource[] }) {
  if (ids.length === 0) return null;
  const byId = new Map(sources.map((s) => [s.id, s]));
  return (
    <span className="ml-1 inline-flex flex-wrap gap-1 align-baseline">
      {ids.map((id, i) => {
        const source = byId.get(id);
        const label = source?.label ?? "source";
        const cls = "inline-flex max-w-[12rem] items-center rounded bg-slate-100 px-1.5 text-[0.6875rem] leading-5 text-slate-600 hover:bg-slate-200 hover:text-slate-900";
        const text = (
          <>
            <span aria-hidden="true">[{i + 1}]&nbsp;</span>
            <span className="truncate">{label}</span>
          </>
        );
        if (source && source.kind !== "activity" && source.kind !== "change") {
          return (
            <Link key={id} to={`/${TARGET_ENTITY[source.kind]}/${id}`} className={cls} title={`Source: ${label}`}>
              {text}
            </Link>
          );
        }
        if (source?.kind === "activity") {
          return (
            <a key={id} href={`#activity-${id}`} className={cls} title={`Source: ${label}`}>
              {text}
            </a>
          );
        }
        return (
          <span key={id} className={cls} title={`Source: ${label}`}>
            {text}
          </span>
        );
      })}
    </span>
  );
}

/** Why the offline engine answered instead of the provider, in words (the reason codes of worker/ai/engine.ts). */
const FALLBACK: Record<string, string> = {
  time_budget_exceeded: "the AI provider did not answer in time",
  token_budget_exhausted: "the workspace's AI budget for today is spent",
  timeout: "the AI provider timed out",
  rate_limited: "the AI provider is rate-limiting us",
};

function EngineNote({ generatedAt, provider, fallbackReason }: { generatedAt: string; provider: string; fallbackReason?: string | null }) {
  return (
    <p className="mt-2 text-xs text-slate-500" data-engine={provider} data-fallback={fallbackReason ?? undefined}>
      Generated <time dateTime={generatedAt} title={formatDateTime(generatedAt)}>{formatRelative(generatedAt)}</time>
      {provider === "local" && (fallbackReason ? ` by the offline engine: ${FALLBACK[fallbackReason] ?? "the AI provider failed"}` : " by the offline engine")}
    </p>
  );
}

function SummarySection({ targetType, targetId, canGenerate, onDone }: { targetType: TargetType; targetId: string; canGenerate: boolean; onDone: () => void }) {
  const onDoneRef = useRef(onDone);
  onDoneRef.current = onDone;
  const [summary, setSummary] = useState<SummaryResult | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [requesting, setRequesting] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    setLoaded(false);
    latestSummary(targetType, targetId, { signal: controller.signal }).then(
      (r) => {
        setSummary(r.summary);
        setJobId(r.pendingJob?.id ?? null);
        setLoaded(true);
      },
      (err: unknown) => {
        if (isAbortError(err)) return;
        setError(err);
        setLoaded(true);
      },
    );
    return () => controller.abort();
  }, [targetType, targetId]);

  // A job in flight (requested here, or by an event): poll until it lands.
  useEffect(() => {
    if (!jobId) return;
    const controller = new AbortController();
    waitForJob(jobId, controller.signal).then(
      (job) => {
        setJobId(null);
        if (job.status === "succeeded" && job.result) {
          setSummary(job.result);
          onDoneRef.current(); // the summary is also an activity on the timeline
        } else setError(new Error(job.error ? `The summary failed: ${job.error}` : "The summary could not be generated."));
      },
      (err: unknown) => {
        if (isAbortError(err)) return;
        setJobId(null);
        setError(err);
      },
    );
    return () => controller.abort();
  }, [jobId]);

  async function refresh() {
    setRequesting(true);
    setError(null);
    try {
      const r = await requestSummary(targetType, targetId);
      // The offline engine answers in the request: show it at once, no polling.
      if (r.status === "succeeded" && r.job.result) {
        setSummary(r.job.result);
        onDoneRef.current();
      } else setJobId(r.jobId);
    } catch (err) {
      setError(err);
    } finally {
      setRequesting(false);
    }
  }

  const working = requesting || !!jobId;
  return (
    <Subsection
      title="Summary"
      action={
        canGenerate && (
          <Button size="sm" variant="ghost" onClick={refresh} loading={working} disabled={!loaded}>
            {summary ? "Refresh" : "Summarise"}
          </Button>
        )
      }
    >
      {!loaded ? (
        <Spinner className="size-4 text-slate-400" label="Loading summary" />
      ) : (
        <div aria-live="polite">
          {working && (
            <p className="flex items-center gap-2 text-sm text-slate-500">
              <Spinner className="size-3.5" /> Summarising the latest activity…
            </p>
          )}
          {error != null && <ErrorLine error={error} />}
          {summary ? (
            <div className="text-sm text-slate-700">
              <p className="font-medium text-slate-900">
                {summary.headline.text}
                <Citations ids={summary.headline.citations} sources={summary.sources} />
              </p>
              <ul className="mt-2 list-disc space-y-1.5 pl-5">
                {summary.points.map((p, i) => (
                  <li key={i}>
                    {p.text}
                    <Citations ids={p.citations} sources={summary.sources} />
                  </li>
                ))}
              </ul>
              <EngineNote generatedAt={summary.generatedAt} provider={summary.engine.provider} fallbackReason={summary.engine.fallbackReason} />
            </div>
          ) : (
            !working && !error && <p className="text-sm text-slate-500">No summary yet.{canGenerate && " Summarise to get the gist of this record and its activity."}</p>
          )}
        </div>
      )}
    </Subsection>
  );
}

const PRIORITY_TONE = { high: "danger", medium: "warning", low: "neutral" } as const;

function NextActionsSection({ opportunityId, canGenerate, onTaskCreated }: { opportunityId: string; canGenerate: boolean; onTaskCreated: () => void }) {
  const toast = useToast();
  const [result, setResult] = useState<NextActionsResult | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [creating, setCreating] = useState<number | null>(null);

  if (!canGenerate) return null;

  async function suggest() {
    setPending(true);
    setError(null);
    try {
      setResult(await nextBestActions(opportunityId));
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  }

  async function createTask(index: number) {
    if (!result) return;
    setCreating(index);
    try {
      const task = await createSuggestedTask(result.activityId, index);
      setResult({ ...result, actions: result.actions.map((a, i) => (i === index ? { ...a, taskId: task.id } : a)) });
      toast.success(`Task created: ${task.subject ?? "follow-up"}.`);
      onTaskCreated();
    } catch (err) {
      toast.error(`Couldn’t create the task: ${aiErrorMessage(err)}`);
    } finally {
      setCreating(null);
    }
  }

  return (
    <Subsection
      title="Next best actions"
      action={
        <Button size="sm" variant="ghost" onClick={suggest} loading={pending}>
          {result ? "Suggest again" : "Suggest"}
        </Button>
      }
    >
      <div aria-live="polite">
        {error != null && <ErrorLine error={error} />}
        {result ? (
          <ol className="space-y-3">
            {result.actions.map((a, i) => (
              <li key={i} className="rounded-lg border border-slate-200 p-3">
                <div className="flex items-start gap-2">
                  <p className="min-w-0 flex-1 text-sm font-medium text-slate-900">
                    {a.rank}. {a.title}
                  </p>
                  <Badge tone={PRIORITY_TONE[a.priority]}>{a.priority}</Badge>
                </div>
                <p className="mt-1 text-sm text-slate-600">
                  {a.rationale}
                  <Citations ids={a.citations} sources={result.sources} />
                </p>
                <div className="mt-2">
                  {a.taskId ? (
                    <span className="text-xs font-medium text-emerald-700">Task created</span>
                  ) : (
                    <Button size="sm" onClick={() => createTask(i)} loading={creating === i}>
                      Create task
                      <span className="sr-only">: {a.createTask.subject}</span>
                    </Button>
                  )}
                </div>
              </li>
            ))}
          </ol>
        ) : (
          !pending && !error && <p className="text-sm text-slate-500">Ask for the most valuable next steps on this deal, each with its reasons.</p>
        )}
        {result && <EngineNote generatedAt={result.generatedAt} provider={result.engine.provider} fallbackReason={result.engine.fallbackReason} />}
      </div>
    </Subsection>
  );
}

function DraftEmailSection({ targetType, targetId, onSaved, onSend }: { targetType: TargetType; targetId: string; onSaved: () => void; onSend?: (draft: EmailPrefill) => void }) {
  const id = useId();
  const toast = useToast();
  const [intent, setIntent] = useState("");
  const [tone, setTone] = useState<EmailTone>("friendly");
  const [draft, setDraft] = useState<EmailDraftResult | null>(null);
  const [subject, setSubject] = useState("");
  const [body, setBody] = useState("");
  const [pending, setPending] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function generate() {
    if (!intent.trim()) {
      setError(new Error("Say what the e-mail should achieve."));
      return;
    }
    setPending(true);
    setError(null);
    try {
      const result = await draftEmail({ ...(targetType === "opportunity" ? { opportunityId: targetId } : { contactId: targetId }), intent: intent.trim(), tone });
      setDraft(result);
      setSubject(result.subject);
      setBody(result.body);
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  }

  async function save() {
    if (!draft) return;
    setSaving(true);
    try {
      const saved = await saveDraft(draft.activityId, { subject, body });
      setDraft(saved);
      toast.success("Draft saved to the timeline.");
      onSaved();
    } catch (err) {
      toast.error(`Couldn’t save the draft: ${aiErrorMessage(err)}`);
    } finally {
      setSaving(false);
    }
  }

  /** The composer sent this draft: show it as it went out (the server stored the same). */
  function showSent(activityId: string, sent: { subject: string; text: string }) {
    setDraft((d) => (d?.activityId === activityId ? { ...d, status: "sent", subject: sent.subject, body: sent.text } : d));
    setSubject(sent.subject);
    setBody(sent.text);
  }

  /** The draft as the user edited it, ready to paste into their mail client. */
  async function copy() {
    try {
      await navigator.clipboard.writeText(`Subject: ${subject}\n\n${body}`);
      toast.success("Draft copied.");
    } catch {
      toast.error("Couldn’t copy: select the text and copy it by hand.");
    }
  }

  const field = "block w-full rounded-md border border-slate-300 bg-white px-2.5 text-sm shadow-xs focus:border-accent focus:ring-3 focus:ring-accent/25 focus:outline-hidden";
  return (
    <Subsection title="Draft an e-mail">
      <form
        className="space-y-2"
        onSubmit={(e) => {
          e.preventDefault();
          void generate();
        }}
      >
        <div>
          <label htmlFor={`${id}-intent`} className="block text-xs font-medium text-slate-600">
            What should it achieve?
          </label>
          <input id={`${id}-intent`} className={`${field} mt-1 h-9`} value={intent} maxLength={500} onChange={(e) => setIntent(e.target.value)} placeholder="e.g. follow up after the demo" />
        </div>
        <div className="flex items-end gap-2">
          <div className="flex-1">
            <label htmlFor={`${id}-tone`} className="block text-xs font-medium text-slate-600">
              Tone
            </label>
            <select id={`${id}-tone`} className={`${field} mt-1 h-9`} value={tone} onChange={(e) => setTone(e.target.value as EmailTone)}>
              {EMAIL_TONES.map((t) => (
                <option key={t} value={t}>
                  {t[0]!.toUpperCase() + t.slice(1)}
                </option>
              ))}
            </select>
          </div>
          <Button type="submit" loading={pending}>
            {draft ? "Redraft" : "Draft"}
          </Button>
        </div>
      </form>
      <div aria-live="polite">
        {error != null && (
          <div className="mt-2">
            <ErrorLine error={error} />
          </div>
        )}
        {draft && (
          <div className="mt-3 space-y-2 rounded-lg border border-slate-200 p-3">
            {draft.to && (
              <p className="text-xs text-slate-500">
                To: <span className="font-medium text-slate-700">{draft.to.name}</span>
                {draft.to.email && ` <${draft.to.email}>`}
              </p>
            )}
            <div>
              <label htmlFor={`${id}-subject`} className="block text-xs font-medium text-slate-600">
                Subject
              </label>
              <input id={`${id}-subject`} className={`${field} mt-1 h-9`} value={subject} onChange={(e) => setSubject(e.target.value)} />
            </div>
            <div>
              <label htmlFor={`${id}-body`} className="block text-xs font-medium text-slate-600">
                Body
              </label>
              <textarea id={`${id}-body`} rows={8} className={`${field} mt-1 py-2`} value={body} onChange={(e) => setBody(e.target.value)} />
            </div>
            <p className="text-xs text-slate-500">
              Based on
              <Citations ids={draft.citations} sources={draft.sources} />
            </p>
            <EngineNote generatedAt={draft.generatedAt} provider={draft.engine.provider} fallbackReason={draft.engine.fallbackReason} />
            <div className="flex items-center justify-between gap-2">
              <span className="text-xs text-slate-500" data-testid="draft-status">
                {draft.status === "sent" ? "Sent" : draft.status === "saved" ? "Saved" : "Not saved yet"}
              </span>
              <div className="flex items-center gap-2">
                <Button size="sm" onClick={() => void copy()}>
                  Copy
                </Button>
                {draft.status !== "sent" && onSend && (
                  <Button
                    size="sm"
                    onClick={() =>
                      onSend({ to: draft.to?.email ?? undefined, subject, text: body, draftId: draft.activityId, onSent: (sent) => showSent(draft.activityId, sent) })
                    }
                  >
                    Send…
                  </Button>
                )}
                {draft.status !== "sent" && (
                  <Button size="sm" variant="primary" onClick={save} loading={saving}>
                    Save draft
                  </Button>
                )}
              </div>
            </div>
          </div>
        )}
      </div>
    </Subsection>
  );
}

const BRIEF_SECTIONS: { key: keyof DealBriefResult["sections"]; label: string }[] = [
  { key: "standing", label: "Standing" },
  { key: "people", label: "People" },
  { key: "history", label: "History" },
  { key: "risks", label: "Risks" },
  { key: "nextSteps", label: "Next steps" },
];

function DealBriefSection({ opportunityId, canGenerate }: { opportunityId: string; canGenerate: boolean }) {
  const [brief, setBrief] = useState<DealBriefResult | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function load(refresh: boolean) {
    setPending(true);
    setError(null);
    try {
      setBrief(await dealBrief(opportunityId, refresh));
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  }

  return (
    <Subsection
      title="Deal brief"
      action={
        <Button size="sm" variant="ghost" onClick={() => load(!!brief)} loading={pending} disabled={!canGenerate && !!brief}>
          {brief ? "Regenerate" : "Show brief"}
        </Button>
      }
    >
      <div aria-live="polite">
        {error != null && <ErrorLine error={error} />}
        {brief ? (
          <div className="space-y-3 text-sm">
            {BRIEF_SECTIONS.map(({ key, label }) => (
              <div key={key}>
                <h4 className="font-medium text-slate-900">{label}</h4>
                <ul className="mt-1 list-disc space-y-1 pl-5 text-slate-700">
                  {brief.sections[key].map((line, i) => (
                    <li key={i}>
                      {line.text}
                      <Citations ids={line.citations} sources={brief.sources} />
                    </li>
                  ))}
                </ul>
              </div>
            ))}
            <EngineNote generatedAt={brief.generatedAt} provider={brief.engine.provider} fallbackReason={brief.engine.fallbackReason} />
          </div>
        ) : (
          !pending && !error && <p className="text-sm text-slate-500">A one-page brief: standing, people, history, risks and next steps, every line cited.</p>
        )}
      </div>
    </Subsection>
  );
}
