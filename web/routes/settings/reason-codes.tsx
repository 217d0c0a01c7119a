import { useEffect, useId, useState } from "react";
import { ErrorState } from "../../components/ErrorState";
import { PlusIcon, TrashIcon } from "../../components/icons";
import { Button } from "../../components/ui/Button";
import { Skeleton } from "../../components/ui/Skeleton";
import { useToast } from "../../components/ui/Toast";
import { ApiError, errorMessage } from "../../lib/api";
import { loadReasonCodes, putReasonCodes, type ReasonCodes } from "../../lib/pipelines";
import { useResource } from "../../lib/useResource";

type Kind = keyof ReasonCodes;
const KINDS: { kind: Kind; title: string; hint: string }[] = [
  { kind: "won", title: "Won", hint: "Offered when a deal moves to a won stage." },
  { kind: "lost", title: "Lost", hint: "Offered when a deal moves to a lost stage." },
  { kind: "open", title: "Open stages", hint: "Offered when a deal moves forward or back between open stages." },
];

/** "Went with a competitor" → "went_with_a_competitor": the stored code of a new label. */
const codeOf = (label: string) =>
  label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 100);

/** Settings → Reason codes: the list per kind of target stage, saved in one PUT (GET/PUT /api/reason-codes). */
export default function ReasonCodesSettings() {
  const toast = useToast();
  const id = useId();
  const codes = useResource("settings-reason-codes", () => loadReasonCodes());
  const [draft, setDraft] = useState<ReasonCodes | null>(null);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  useEffect(() => {
    if (codes.data) setDraft(codes.data);
  }, [codes.data]);

  if (codes.status === "error") return <ErrorState title="Couldn’t load the reason codes" error={codes.error} onRetry={codes.reload} />;
  if (!draft) return <Skeleton className="h-48 w-full rounded-lg" />;
  const dirty = JSON.stringify(draft) !== JSON.stringify(codes.data);

  const edit = (kind: Kind, list: ReasonCodes[Kind]) => setDraft({ ...draft, [kind]: list });

  async function save() {
    setSaving(true);
    setFailure(null);
    try {
      const body = Object.fromEntries(
        KINDS.map(({ kind }) => [kind, draft![kind].filter((c) => c.label.trim()).map((c) => ({ value: c.value || codeOf(c.label), label: c.label.trim() }))]),
      ) as ReasonCodes;
      const saved = await putReasonCodes(body);
      codes.setData(saved);
      toast.success("Reason codes saved");
    } catch (err) {
      setFailure(err);
    } finally {
      setSaving(false);
    }
  }

  return (
    <div className="space-y-6">
      {failure != null && (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {errorMessage(failure)}
          {failure instanceof ApiError && failure.errors?.length ? `: ${failure.errors.map((e) => `${e.path} ${e.message}`).join("; ")}` : ""}
        </div>
      )}
      <div className="grid gap-6 lg:grid-cols-3">
        {KINDS.map(({ kind, title, hint }) => (
          <section key={kind} aria-labelledby={`${id}-${kind}`} className="space-y-2">
            <h2 id={`${id}-${kind}`} className="text-sm font-semibold text-slate-900">
              {title}
            </h2>
            <p className="text-xs text-slate-500">{hint}</p>
            <ul className="space-y-2">
              {draft[kind].map((c, i) => (
                <li key={`${kind}-${i}`} className="flex items-center gap-2">
                  <label htmlFor={`${id}-${kind}-${i}`} className="sr-only">
                    {title} reason {i + 1}
                  </label>
                  <input
                    id={`${id}-${kind}-${i}`}
                    value={c.label}
                    maxLength={120}
                    onChange={(e) => edit(kind, draft[kind].map((x, j) => (j === i ? { ...x, label: e.target.value } : x)))}
                    className="block h-9 min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-3 text-sm focus:border-accent focus:ring-3 focus:ring-accent/25 focus:outline-hidden"
                  />
                  <button
                    type="button"
                    onClick={() => edit(kind, draft[kind].filter((_, j) => j !== i))}
                    className="inline-flex size-8 items-center justify-center rounded-md text-slate-500 hover:bg-red-50 hover:text-red-700"
                  >
                    <TrashIcon className="size-4" />
                    <span className="sr-only">Remove {c.label || "reason"}</span>
                  </button>
                </li>
              ))}
            </ul>
            <Button size="sm" onClick={() => edit(kind, [...draft[kind], { value: "", label: "" }])}>
              <PlusIcon className="size-4" />
              Add<span className="sr-only"> a {title.toLowerCase()} reason</span>
            </Button>
          </section>
        ))}
      </div>
      <div className="flex justify-end gap-2 border-t border-slate-200 pt-3">
        <Button disabled={!dirty || saving} onClick={() => setDraft(codes.data!)}>
          Discard
        </Button>
        <Button variant="primary" disabled={!dirty} loading={saving} onClick={save}>
          Save reason codes
        </Button>
      </div>
    </div>
  );
}
