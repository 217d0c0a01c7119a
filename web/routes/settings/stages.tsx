import { closestCenter, DndContext, KeyboardSensor, PointerSensor, TouchSensor, useSensor, useSensors, type DragEndEvent } from "@dnd-kit/core";
import { arrayMove, SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { useEffect, useId, useMemo, useState } from "react";
import { ErrorState } from "../../components/ErrorState";
import { ChevronDownIcon, ChevronUpIcon, GripIcon, PlusIcon, TrashIcon } from "../../components/icons";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { Skeleton } from "../../components/ui/Skeleton";
import { useToast } from "../../components/ui/Toast";
import { ApiError, errorMessage } from "../../lib/api";
import { pluralize } from "../../lib/format";
import { invalidateStages } from "../../lib/lookups";
import { loadPipelines, putPipelineStages, type ConfiguredStage } from "../../lib/pipelines";
import { useResource } from "../../lib/useResource";
import { PipelineList } from "./pipeline-list";

type Kind = ConfiguredStage["kind"];

interface Row {
  /** Stable key for React and dnd-kit: the stage id, or a local one for a new stage. */
  key: string;
  id?: string;
  name: string;
  probability: string;
  kind: Kind;
  /** Aging limit in days ("" = none). */
  agingDays: string;
  deals: number;
}

interface Removed {
  stage: ConfiguredStage;
  /** Key of the row its deals move to. */
  moveTo: string;
}

const KIND_LABEL: Record<Kind, string> = { open: "Open", won: "Won", lost: "Lost" };
let newKey = 0;

const toRows = (stages: ConfiguredStage[]): Row[] =>
  stages.map((s) => ({ key: s.id, id: s.id, name: s.name, probability: String(s.probability), kind: s.kind, agingDays: s.agingDays === null ? "" : String(s.agingDays), deals: s.opportunityCount }));

/**
 * Settings → Pipelines: the pipelines (add, rename, reorder, default, delete) and, below, the stages of the one
 * picked (the default one first).
 */
export default function PipelinesSettings() {
  const pipelines = useResource("settings-pipelines", (signal) => loadPipelines({ signal }));
  const [selected, setSelected] = useState<string | null>(null);
  if (pipelines.status === "error") return <ErrorState title="Couldn’t load the pipelines" error={pipelines.error} onRetry={pipelines.reload} />;
  const list = pipelines.data ?? [];
  const current = list.find((p) => p.id === selected) ?? list.find((p) => p.isDefault) ?? list[0];
  const changed = (select?: string) => {
    invalidateStages();
    if (select) setSelected(select);
    pipelines.reload();
  };
  return (
    <div className="space-y-8">
      {pipelines.data ? <PipelineList pipelines={list} selectedId={current?.id} onSelect={setSelected} onChanged={changed} /> : <Skeleton className="h-32 w-full rounded-lg" />}
      {current && (
        <section aria-labelledby="stages-title" className="space-y-3">
          <h2 id="stages-title" className="text-base font-semibold text-slate-900">
            Stages of {current.name}
          </h2>
          <StagesSettings key={current.id} pipelineId={current.id} onSaved={() => changed()} />
        </section>
      )}
    </div>
  );
}

/**
 * One pipeline's stages: an editable draft of the ordered list (drag, or the up/down buttons; rename,
 * probability, kind, aging limit; add; remove with a move-to choice for stages that hold deals), saved in one PUT.
 */
function StagesSettings({ pipelineId, onSaved }: { pipelineId: string; onSaved: () => void }) {
  const toast = useToast();
  const stages = useResource(`settings-stages-${pipelineId}`, (signal) =>
    loadPipelines({ signal }).then((list) => list.find((p) => p.id === pipelineId)?.stages ?? []),
  );
  const [rows, setRows] = useState<Row[] | null>(null);
  const [removed, setRemoved] = useState<Removed[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [announcement, setAnnouncement] = useState("");

  // The server's list seeds the draft (again after a save or a discard).
  useEffect(() => {
    if (stages.data) {
      setRows(toRows(stages.data));
      setRemoved([]);
    }
  }, [stages.data]);

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 200, tolerance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  const dirty = useMemo(() => {
    if (!rows || !stages.data) return false;
    if (removed.length) return true;
    const original = toRows(stages.data);
    return rows.length !== original.length || rows.some((r, i) => {
      const o = original[i]!;
      return r.key !== o.key || r.name !== o.name || r.probability !== o.probability || r.kind !== o.kind || r.agingDays !== o.agingDays;
    });
  }, [rows, removed, stages.data]);

  if (stages.status === "loading" || !rows) {
    return stages.status === "error" ? (
      <ErrorState title="Couldn’t load the stages" error={stages.error} onRetry={stages.reload} />
    ) : (
      <div className="space-y-2" aria-hidden="true">
        {[0, 1, 2, 3, 4].map((i) => (
          <Skeleton key={i} className="h-14 w-full rounded-lg" />
        ))}
      </div>
    );
  }
  if (stages.status === "error") return <ErrorState title="Couldn’t load the stages" error={stages.error} onRetry={stages.reload} />;

  const update = (key: string, patch: Partial<Row>) => {
    setRows((list) => list!.map((r) => (r.key === key ? { ...r, ...patch } : r)));
    setErrors({});
  };

  function move(index: number, delta: number) {
    const target = index + delta;
    if (!rows || target < 0 || target >= rows.length) return;
    setRows(arrayMove(rows, index, target));
    setAnnouncement(`${rows[index]!.name} moved to position ${target + 1} of ${rows.length}`);
  }

  function onDragEnd(event: DragEndEvent) {
    const { active, over } = event;
    if (!rows || !over || active.id === over.id) return;
    const from = rows.findIndex((r) => r.key === active.id);
    const to = rows.findIndex((r) => r.key === over.id);
    setRows(arrayMove(rows, from, to));
  }

  function add() {
    const key = `new-${++newKey}`;
    // New stages go before the closed ones, where open stages belong.
    const at = rows!.findIndex((r) => r.kind !== "open");
    const row: Row = { key, name: "", probability: "50", kind: "open", agingDays: "", deals: 0 };
    setRows(at < 0 ? [...rows!, row] : [...rows!.slice(0, at), row, ...rows!.slice(at)]);
    requestAnimationFrame(() => document.getElementById(`stage-name-${key}`)?.focus());
  }

  function remove(row: Row) {
    const remaining = rows!.filter((r) => r.key !== row.key);
    setRows(remaining);
    if (row.id && row.deals > 0) {
      const original = stages.data!.find((s) => s.id === row.id)!;
      const fallback = remaining.find((r) => r.kind === row.kind) ?? remaining[0];
      setRemoved((list) => [...list, { stage: original, moveTo: fallback?.key ?? "" }]);
    } else if (row.id) {
      setRemoved((list) => [...list, { stage: stages.data!.find((s) => s.id === row.id)!, moveTo: "" }]);
    }
    setAnnouncement(`${row.name || "New stage"} removed`);
  }

  function undoRemove(item: Removed) {
    setRemoved((list) => list.filter((r) => r !== item));
    setRows((list) => [...list!, ...toRows([item.stage])]);
  }

  function validate(): Record<string, string> {
    const e: Record<string, string> = {};
    const names = new Map<string, string>();
    for (const r of rows!) {
      const name = r.name.trim();
      if (!name) e[`${r.key}.name`] = "Name the stage";
      else if (names.has(name.toLowerCase())) e[`${r.key}.name`] = "Another stage has this name";
      else names.set(name.toLowerCase(), r.key);
      const p = Number(r.probability);
      if (r.probability.trim() === "" || !Number.isInteger(p) || p < 0 || p > 100) e[`${r.key}.probability`] = "0–100";
      const a = Number(r.agingDays);
      if (r.agingDays.trim() !== "" && (!Number.isInteger(a) || a < 1 || a > 3650)) e[`${r.key}.agingDays`] = "1–3650 days";
    }
    if (!rows!.some((r) => r.kind === "open")) e.form = "Keep at least one open stage: new deals start there.";
    for (const item of removed) {
      if (item.stage.opportunityCount > 0 && !rows!.some((r) => r.key === item.moveTo)) e[`moveTo.${item.stage.id}`] = "Choose where its deals go";
    }
    return e;
  }

  async function save() {
    const problems = validate();
    setErrors(problems);
    if (Object.keys(problems).length) {
      setFailure(null);
      return;
    }
    setSaving(true);
    setFailure(null);
    const list = rows!;
    const moveTo: Record<string, string | number> = {};
    for (const item of removed) {
      if (item.stage.opportunityCount === 0) continue;
      const index = list.findIndex((r) => r.key === item.moveTo);
      const target = list[index]!;
      moveTo[item.stage.id] = target.id ?? index;
    }
    try {
      const saved = await putPipelineStages(pipelineId, {
        stages: list.map((r) => ({
          ...(r.id && { id: r.id }),
          name: r.name.trim(),
          probability: Number(r.probability),
          kind: r.kind,
          agingDays: r.agingDays.trim() === "" ? null : Number(r.agingDays),
        })),
        ...(Object.keys(moveTo).length && { moveTo }),
      });
      stages.setData(saved);
      toast.success("Pipeline stages saved");
      onSaved();
    } catch (err) {
      if (err instanceof ApiError && err.errors?.length) {
        // "stages.2.name" → the row's field.
        const mapped: Record<string, string> = {};
        for (const fe of err.errors) {
          const m = /^stages\.(\d+)\.(\w+)$/.exec(fe.path);
          const row = m ? list[Number(m[1])] : undefined;
          if (row) mapped[`${row.key}.${m![2]}`] = fe.message;
        }
        setErrors(mapped);
      }
      setFailure(err);
    } finally {
      setSaving(false);
    }
  }

  const totalDeals = rows.reduce((n, r) => n + r.deals, 0);
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        Drag a stage by its handle (or use the arrows) to reorder the board. Probability weights the forecast; deals in a
        <em> won</em> or <em>lost</em> stage are closed; past the aging limit (days in the stage) a deal counts as
        rotting. Changes apply when you save.
      </p>

      {(failure !== null || errors.form) && (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {errors.form ?? errorMessage(failure)}
        </div>
      )}

      <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
        <SortableContext items={rows.map((r) => r.key)} strategy={verticalListSortingStrategy}>
          <ol className="space-y-2" aria-label="Stages in board order">
            {rows.map((row, index) => (
              <StageRow
                key={row.key}
                row={row}
                index={index}
                count={rows.length}
                errors={errors}
                onChange={(patch) => update(row.key, patch)}
                onMove={(delta) => move(index, delta)}
                onRemove={() => remove(row)}
                canRemove={rows.length > 1}
              />
            ))}
          </ol>
        </SortableContext>
      </DndContext>

      <Button onClick={add}>
        <PlusIcon className="size-4" />
        Add stage
      </Button>

      {removed.length > 0 && (
        <div className="rounded-lg border border-amber-200 bg-amber-50 p-4">
          <h3 className="text-sm font-semibold text-amber-900">Removed when you save</h3>
          <ul className="mt-2 space-y-3">
            {removed.map((item) => (
              <li key={item.stage.id} className="flex flex-wrap items-center gap-x-3 gap-y-2 text-sm">
                <span className="font-medium text-slate-900">{item.stage.name}</span>
                {item.stage.opportunityCount > 0 ? (
                  <>
                    <label htmlFor={`move-${item.stage.id}`} className="text-slate-700">
                      moves its {pluralize(item.stage.opportunityCount, "deal")} to
                    </label>
                    <select
                      id={`move-${item.stage.id}`}
                      value={item.moveTo}
                      aria-invalid={errors[`moveTo.${item.stage.id}`] ? true : undefined}
                      onChange={(e) => setRemoved((list) => list.map((r) => (r === item ? { ...r, moveTo: e.target.value } : r)))}
                      className="h-8 rounded-md border border-slate-300 bg-white px-2 text-sm"
                    >
                      <option value="">Choose a stage…</option>
                      {rows.map((r) => (
                        <option key={r.key} value={r.key}>
                          {r.name || "New stage"}
                        </option>
                      ))}
                    </select>
                    {errors[`moveTo.${item.stage.id}`] && <span className="text-red-700">{errors[`moveTo.${item.stage.id}`]}</span>}
                  </>
                ) : (
                  <span className="text-slate-600">holds no deals</span>
                )}
                <Button size="sm" variant="ghost" onClick={() => undoRemove(item)}>
                  Undo<span className="sr-only"> removing {item.stage.name}</span>
                </Button>
              </li>
            ))}
          </ul>
        </div>
      )}

      <div className="sticky bottom-0 -mx-1 flex flex-wrap items-center gap-3 border-t border-slate-200 bg-slate-50/95 px-1 py-3 backdrop-blur">
        <p className="text-sm text-slate-500">
          {rows.length} stages · {pluralize(totalDeals, "deal")}
          {dirty && <span className="ml-2 font-medium text-amber-700">Unsaved changes</span>}
        </p>
        <div className="ml-auto flex gap-2">
          <Button
            disabled={!dirty || saving}
            onClick={() => {
              setRows(toRows(stages.data!));
              setRemoved([]);
              setErrors({});
              setFailure(null);
            }}
          >
            Discard
          </Button>
          <Button variant="primary" disabled={!dirty} loading={saving} onClick={save}>
            Save stages
          </Button>
        </div>
      </div>
      <div role="status" aria-live="polite" className="sr-only">
        {announcement}
      </div>
    </div>
  );
}

function StageRow({
  row,
  index,
  count,
  errors,
  onChange,
  onMove,
  onRemove,
  canRemove,
}: {
  row: Row;
  index: number;
  count: number;
  errors: Record<string, string>;
  onChange: (patch: Partial<Row>) => void;
  onMove: (delta: number) => void;
  onRemove: () => void;
  canRemove: boolean;
}) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: row.key });
  const id = useId();
  const label = row.name.trim() || "new stage";
  const nameError = errors[`${row.key}.name`];
  const probError = errors[`${row.key}.probability`];
  const agingError = errors[`${row.key}.agingDays`];
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={`flex flex-wrap items-start gap-x-3 gap-y-2 rounded-lg border bg-white p-3 sm:flex-nowrap sm:items-center ${
        isDragging ? "relative z-10 border-accent shadow-lg" : "border-slate-200"
      }`}
    >
      <div className="flex items-center gap-0.5">
        <button
          type="button"
          ref={setActivatorNodeRef}
          {...attributes}
          {...listeners}
          aria-roledescription="sortable stage"
          aria-label={`Reorder ${label} (position ${index + 1} of ${count}): press Space, then the arrow keys`}
          className="inline-flex size-8 cursor-grab touch-none items-center justify-center rounded-md text-slate-500 hover:bg-slate-100 hover:text-slate-700 active:cursor-grabbing"
        >
          <GripIcon className="size-4" />
        </button>
        <button
          type="button"
          onClick={() => onMove(-1)}
          disabled={index === 0}
          className="inline-flex size-7 items-center justify-center rounded-md text-slate-500 hover:bg-slate-100 hover:text-slate-700 disabled:opacity-30"
        >
          <ChevronUpIcon className="size-4" />
          <span className="sr-only">Move {label} up</span>
        </button>
        <button
          type="button"
          onClick={() => onMove(1)}
          disabled={index === count - 1}
          className="inline-flex size-7 items-center justify-center rounded-md text-slate-500 hover:bg-slate-100 hover:text-slate-700 disabled:opacity-30"
        >
          <ChevronDownIcon className="size-4" />
          <span className="sr-only">Move {label} down</span>
        </button>
      </div>

      <div className="min-w-0 flex-1 basis-40">
        <label htmlFor={`stage-name-${row.key}`} className="sr-only">
          Name of stage {index + 1}
        </label>
        <input
          id={`stage-name-${row.key}`}
          value={row.name}
          placeholder="Stage name"
          maxLength={80}
          aria-invalid={nameError ? true : undefined}
          aria-describedby={nameError ? `${id}-name-error` : undefined}
          onChange={(e) => onChange({ name: e.target.value })}
          className={`block h-9 w-full rounded-md border px-3 text-sm font-medium text-slate-900 focus:border-accent focus:ring-3 focus:ring-accent/25 focus:outline-hidden ${nameError ? "border-red-500" : "border-slate-300"}`}
        />
        {nameError && (
          <p id={`${id}-name-error`} className="mt-1 text-xs text-red-600">
            {nameError}
          </p>
        )}
      </div>

      <div className="w-20 sm:w-24">
        <label htmlFor={`${id}-prob`} className="sr-only">
          Probability of {label}, percent
        </label>
        <div className="relative">
          <input
            id={`${id}-prob`}
            type="number"
            inputMode="numeric"
            min={0}
            max={100}
            step={5}
            value={row.probability}
            aria-invalid={probError ? true : undefined}
            onChange={(e) => onChange({ probability: e.target.value })}
            className={`tabular block h-9 w-full rounded-md border pr-7 pl-3 text-sm focus:border-accent focus:ring-3 focus:ring-accent/25 focus:outline-hidden ${probError ? "border-red-500" : "border-slate-300"}`}
          />
          <span aria-hidden="true" className="pointer-events-none absolute top-1/2 right-2.5 -translate-y-1/2 text-sm text-slate-500">
            %
          </span>
        </div>
        {probError && <p className="mt-1 text-xs text-red-600">{probError}</p>}
      </div>

      <div className="w-24">
        <label htmlFor={`${id}-aging`} className="sr-only">
          Aging limit of {label}, days
        </label>
        <div className="relative">
          <input
            id={`${id}-aging`}
            type="number"
            inputMode="numeric"
            min={1}
            max={3650}
            placeholder="—"
            title="Aging limit: days a deal may stay in this stage"
            value={row.agingDays}
            aria-invalid={agingError ? true : undefined}
            onChange={(e) => onChange({ agingDays: e.target.value })}
            className={`tabular block h-9 w-full rounded-md border pr-7 pl-3 text-sm focus:border-accent focus:ring-3 focus:ring-accent/25 focus:outline-hidden ${agingError ? "border-red-500" : "border-slate-300"}`}
          />
          <span aria-hidden="true" className="pointer-events-none absolute top-1/2 right-2.5 -translate-y-1/2 text-sm text-slate-500">
            d
          </span>
        </div>
        {agingError && <p className="mt-1 text-xs text-red-600">{agingError}</p>}
      </div>

      <div className="w-24">
        <label htmlFor={`${id}-kind`} className="sr-only">
          Kind of {label}
        </label>
        <select
          id={`${id}-kind`}
          value={row.kind}
          onChange={(e) => {
            const kind = e.target.value as Kind;
            // Closing kinds have a fixed meaning: won is certain, lost is worth nothing.
            onChange({ kind, ...(kind === "won" && { probability: "100" }), ...(kind === "lost" && { probability: "0" }) });
          }}
          className="block h-9 w-full rounded-md border border-slate-300 bg-white px-2 text-sm focus:border-accent focus:ring-3 focus:ring-accent/25 focus:outline-hidden"
        >
          {(Object.keys(KIND_LABEL) as Kind[]).map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </select>
      </div>

      <div className="ml-auto flex items-center justify-end gap-2 sm:ml-0 sm:w-28">
        {row.id ? <Badge tone={row.deals ? "accent" : "neutral"}>{pluralize(row.deals, "deal")}</Badge> : <Badge tone="success">New</Badge>}
        <button
          type="button"
          onClick={onRemove}
          disabled={!canRemove}
          className="inline-flex size-8 items-center justify-center rounded-md text-slate-500 hover:bg-red-50 hover:text-red-700 disabled:opacity-30"
        >
          <TrashIcon className="size-4" />
          <span className="sr-only">Remove {label}</span>
        </button>
      </div>
    </li>
  );
}
