import { useId, useState, type FormEvent } from "react";
import { ChevronDownIcon, ChevronUpIcon, PlusIcon, TrashIcon } from "../../components/icons";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { ConfirmDialog } from "../../components/ui/ConfirmDialog";
import { useToast } from "../../components/ui/Toast";
import { ApiError, errorMessage } from "../../lib/api";
import { pluralize } from "../../lib/format";
import { createPipeline, deletePipeline, updatePipeline, type PipelineInfo } from "../../lib/pipelines";

const inputClass =
  "block h-9 w-full rounded-md border border-slate-300 bg-white px-3 text-sm text-slate-900 focus:border-accent focus:ring-3 focus:ring-accent/25 focus:outline-hidden";

const dealsIn = (p: PipelineInfo) => p.stages.reduce((n, s) => n + s.opportunityCount, 0);

/**
 * Settings → Pipelines, the list: add, rename, reorder, make default, delete (moving the deals to a stage of another
 * pipeline), and pick the pipeline whose stages are edited below. Every change is saved at once.
 */
export function PipelineList({
  pipelines,
  selectedId,
  onSelect,
  onChanged,
}: {
  pipelines: PipelineInfo[];
  selectedId: string | undefined;
  onSelect: (id: string) => void;
  /** After any saved change: refetch (and forget cached pipelines elsewhere in the app). */
  onChanged: (select?: string) => void;
}) {
  const toast = useToast();
  const id = useId();
  const [name, setName] = useState("");
  const [createError, setCreateError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<{ id: string; name: string; error?: string } | null>(null);
  const [deleting, setDeleting] = useState<PipelineInfo | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  async function create(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) return setCreateError("Name the pipeline");
    setCreating(true);
    setCreateError(null);
    try {
      const made = await createPipeline({ name: name.trim() });
      setName("");
      toast.success(`Pipeline “${made.name}” added with the standard stages`);
      onChanged(made.id);
    } catch (err) {
      setCreateError(err instanceof ApiError ? (err.fieldErrors.name ?? errorMessage(err)) : errorMessage(err));
    } finally {
      setCreating(false);
    }
  }

  async function change(p: PipelineInfo, patch: Parameters<typeof updatePipeline>[1], done: string) {
    setBusy(p.id);
    try {
      await updatePipeline(p.id, patch);
      toast.success(done);
      onChanged();
    } catch (err) {
      toast.error(errorMessage(err));
    } finally {
      setBusy(null);
    }
  }

  async function rename(event: FormEvent) {
    event.preventDefault();
    if (!renaming) return;
    const p = pipelines.find((x) => x.id === renaming.id)!;
    if (!renaming.name.trim()) return setRenaming({ ...renaming, error: "Name the pipeline" });
    try {
      await updatePipeline(p.id, { name: renaming.name.trim() });
      setRenaming(null);
      toast.success(`Renamed to “${renaming.name.trim()}”`);
      onChanged();
    } catch (err) {
      setRenaming({ ...renaming, error: err instanceof ApiError ? (err.fieldErrors.name ?? errorMessage(err)) : errorMessage(err) });
    }
  }

  return (
    <section aria-label="Pipelines" className="space-y-3">
      <div>
        <p className="text-sm text-slate-600">
          Each pipeline has its own stages and board. The default one opens first and receives converted leads.
        </p>
      </div>
      <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" aria-label="Pipelines in order">
        {pipelines.map((p, index) => (
          <li key={p.id} className={`flex flex-wrap items-center gap-x-3 gap-y-2 px-3 py-2.5 ${p.id === selectedId ? "bg-slate-50 shadow-[inset_3px_0_0_0] shadow-accent" : ""}`}>
            <div className="flex items-center gap-0.5">
              <button
                type="button"
                disabled={index === 0 || busy !== null}
                onClick={() => change(p, { position: index - 1 }, `Moved “${p.name}” up`)}
                className="inline-flex size-7 items-center justify-center rounded-md text-slate-500 hover:bg-slate-100 disabled:opacity-30"
              >
                <ChevronUpIcon className="size-4" />
                <span className="sr-only">Move {p.name} up</span>
              </button>
              <button
                type="button"
                disabled={index === pipelines.length - 1 || busy !== null}
                onClick={() => change(p, { position: index + 1 }, `Moved “${p.name}” down`)}
                className="inline-flex size-7 items-center justify-center rounded-md text-slate-500 hover:bg-slate-100 disabled:opacity-30"
              >
                <ChevronDownIcon className="size-4" />
                <span className="sr-only">Move {p.name} down</span>
              </button>
            </div>
            <div className="min-w-0 flex-1 basis-40">
              {renaming?.id === p.id ? (
                <form onSubmit={rename} className="flex items-start gap-2">
                  <div className="min-w-0 flex-1">
                    <label htmlFor={`${id}-rename`} className="sr-only">
                      New name of {p.name}
                    </label>
                    <input
                      id={`${id}-rename`}
                      autoFocus
                      value={renaming.name}
                      maxLength={80}
                      aria-invalid={renaming.error ? true : undefined}
                      onChange={(e) => setRenaming({ id: p.id, name: e.target.value })}
                      onKeyDown={(e) => e.key === "Escape" && setRenaming(null)}
                      className={inputClass}
                    />
                    {renaming.error && <p className="mt-1 text-xs text-red-600">{renaming.error}</p>}
                  </div>
                  <Button size="sm" variant="primary" type="submit">
                    Save
                  </Button>
                  <Button size="sm" variant="ghost" onClick={() => setRenaming(null)}>
                    Cancel
                  </Button>
                </form>
              ) : (
                <button type="button" onClick={() => onSelect(p.id)} aria-current={p.id === selectedId ? "true" : undefined} className="text-left">
                  <span className="font-medium text-slate-900">{p.name}</span>
                  <span className="ml-2 text-xs text-slate-600">
                    {pluralize(p.stages.length, "stage")} · {pluralize(dealsIn(p), "deal")}
                  </span>
                  <span className="sr-only"> — edit its stages</span>
                </button>
              )}
            </div>
            {p.isDefault && <Badge tone="accent">Default</Badge>}
            {renaming?.id !== p.id && (
              <div className="ml-auto flex flex-wrap items-center gap-1">
                <Button size="sm" variant="ghost" onClick={() => setRenaming({ id: p.id, name: p.name })}>
                  Rename<span className="sr-only"> {p.name}</span>
                </Button>
                {!p.isDefault && (
                  <Button size="sm" variant="ghost" disabled={busy !== null} onClick={() => change(p, { isDefault: true }, `“${p.name}” is now the default pipeline`)}>
                    Make default<span className="sr-only"> ({p.name})</span>
                  </Button>
                )}
                {!p.isDefault && pipelines.length > 1 && (
                  <button
                    type="button"
                    onClick={() => setDeleting(p)}
                    className="inline-flex size-8 items-center justify-center rounded-md text-slate-500 hover:bg-red-50 hover:text-red-700"
                  >
                    <TrashIcon className="size-4" />
                    <span className="sr-only">Delete {p.name}</span>
                  </button>
                )}
              </div>
            )}
          </li>
        ))}
      </ul>
      <form onSubmit={create} className="flex flex-wrap items-start gap-2">
        <div className="min-w-0 flex-1 basis-56">
          <label htmlFor={`${id}-new`} className="sr-only">
            New pipeline name
          </label>
          <input
            id={`${id}-new`}
            value={name}
            maxLength={80}
            placeholder="New pipeline, e.g. Renewals"
            aria-invalid={createError ? true : undefined}
            onChange={(e) => {
              setName(e.target.value);
              setCreateError(null);
            }}
            className={inputClass}
          />
          {createError && <p className="mt-1 text-xs text-red-600">{createError}</p>}
        </div>
        <Button type="submit" loading={creating}>
          <PlusIcon className="size-4" />
          Add pipeline
        </Button>
      </form>
      {deleting && (
        <DeletePipelineDialog
          pipeline={deleting}
          others={pipelines.filter((p) => p.id !== deleting.id)}
          onCancel={() => setDeleting(null)}
          onDeleted={(moved) => {
            toast.success(`Deleted “${deleting.name}”${moved ? `; ${pluralize(moved, "deal")} moved` : ""}`);
            setDeleting(null);
            onChanged();
          }}
        />
      )}
    </section>
  );
}

/** Confirms a deletion; a pipeline with deals asks which stage of another pipeline they move to. */
function DeletePipelineDialog({
  pipeline,
  others,
  onCancel,
  onDeleted,
}: {
  pipeline: PipelineInfo;
  others: PipelineInfo[];
  onCancel: () => void;
  onDeleted: (moved: number) => void;
}) {
  const id = useId();
  const deals = dealsIn(pipeline);
  const fallback = others.find((p) => p.isDefault) ?? others[0];
  const [moveTo, setMoveTo] = useState(fallback?.stages.find((s) => s.kind === "open")?.id ?? "");
  return (
    <ConfirmDialog
      title={`Delete the ${pipeline.name} pipeline?`}
      tone="danger"
      confirmLabel="Delete pipeline"
      message={
        deals > 0 ? (
          <span className="block space-y-2">
            <span className="block">
              It holds {pluralize(deals, "deal")}. They move to the stage you choose, with a stage change on their timeline.
            </span>
            <label htmlFor={`${id}-move`} className="block text-sm font-medium text-slate-700">
              Move its deals to
            </label>
            <select id={`${id}-move`} value={moveTo} onChange={(e) => setMoveTo(e.target.value)} className="block h-9 w-full rounded-md border border-slate-300 bg-white px-2 text-sm">
              {others.map((p) => (
                <optgroup key={p.id} label={p.name}>
                  {p.stages.map((s) => (
                    <option key={s.id} value={s.id}>
                      {p.name}: {s.name}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </span>
        ) : (
          "It holds no deals. Its stages are removed with it."
        )
      }
      onConfirm={async () => {
        const res = await deletePipeline(pipeline.id, deals > 0 ? moveTo : undefined);
        onDeleted(res.movedOpportunities);
      }}
      onCancel={onCancel}
    />
  );
}
