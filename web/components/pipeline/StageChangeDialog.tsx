import { useId, useState, type FormEvent } from "react";
import { ApiError, errorMessage } from "../../lib/api";
import type { StageKind } from "../../lib/api-types";
import { ArrowRightIcon } from "../icons";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";

export interface StageChangeReason {
  text: string;
  code?: string;
}

/** Reason codes per kind of target stage, from the workspace's list (GET /api/reason-codes). */
export type ReasonCodeLists = Record<StageKind, { value: string; label: string }[]>;

/** A pipeline the deal may move to, with its stages in board order. */
export interface PipelineTarget {
  id: string;
  name: string;
  stages: { id: string; name: string; kind: StageKind }[];
}

export interface StageChangeDialogProps {
  dealName: string;
  from: { name: string };
  /** The stage the deal was dropped on / picked. Omitted with `pipelines`: the user picks the target. */
  to?: { name: string; kind: StageKind };
  /** "Move to another pipeline": the pipelines to choose from (not the deal's own); the user picks one and its stage. */
  pipelines?: PipelineTarget[];
  /** The workspace's reason codes; while loading, only free text is offered. */
  reasonCodes?: ReasonCodeLists;
  /** Resolves when saved; a rejection is shown in the dialog. `toStageId` is the picked stage (pipeline moves). */
  onConfirm: (reason: StageChangeReason, toStageId?: string) => Promise<void> | void;
  onCancel: () => void;
}

const selectClass =
  "mt-1.5 block h-9 w-full rounded-md border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-xs focus:border-accent focus:ring-3 focus:ring-accent/25 focus:outline-hidden";

/**
 * Asks why a deal moves to another stage; the reason goes into the stage_change activity on its timeline. With
 * `pipelines` it is the "move to another pipeline" dialog: it also asks for the target pipeline and its stage.
 */
export function StageChangeDialog({ dealName, from, to: fixedTo, pipelines, reasonCodes, onConfirm, onCancel }: StageChangeDialogProps) {
  const id = useId();
  const [pipelineId, setPipelineId] = useState(pipelines?.[0]?.id ?? "");
  const targetPipeline = pipelines?.find((p) => p.id === pipelineId);
  const [stageId, setStageId] = useState(() => pipelines?.[0]?.stages.find((s) => s.kind === "open")?.id ?? pipelines?.[0]?.stages[0]?.id ?? "");
  const pickedStage = targetPipeline?.stages.find((s) => s.id === stageId);
  const to = fixedTo ?? pickedStage ?? { name: "—", kind: "open" as StageKind };
  const [text, setText] = useState("");
  const [code, setCode] = useState("");
  const [touched, setTouched] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const missing = text.trim() === "";
  const serverErrors = error instanceof ApiError ? error.fieldErrors : {};
  const reasonError = (touched && missing ? "Enter a reason for the move." : undefined) ?? serverErrors.stageChangeReason ?? serverErrors["stageChangeReason.text"];
  const codeError = serverErrors["stageChangeReason.code"];

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (missing) {
      document.getElementById(`${id}-reason`)?.focus();
      return;
    }
    setPending(true);
    setError(null);
    try {
      await onConfirm({ text: text.trim(), ...(code && { code }) }, pickedStage?.id);
    } catch (err) {
      setError(err);
      setPending(false);
    }
  }

  return (
    <Dialog
      title={pipelines ? "Move deal to another pipeline" : "Move deal to another stage"}
      description={
        <>
          <span className="font-medium text-slate-700">{dealName}</span>
          <span className="mt-1 flex flex-wrap items-center gap-1.5">
            <span>{from.name}</span>
            <ArrowRightIcon className="size-3.5" aria-hidden="true" />
            <span className="sr-only">to</span>
            <span className="font-medium text-slate-700">{targetPipeline ? `${targetPipeline.name}: ${to.name}` : to.name}</span>
          </span>
        </>
      }
      onClose={onCancel}
      busy={pending}
      footer={
        <>
          <Button onClick={onCancel} disabled={pending}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form={`${id}-form`} loading={pending}>
            Confirm move
          </Button>
        </>
      }
    >
      <form id={`${id}-form`} onSubmit={submit} noValidate className="space-y-4">
        {pipelines && (
          <div className="grid gap-4 sm:grid-cols-2">
            <div>
              <label htmlFor={`${id}-pipeline`} className="block text-sm font-medium text-slate-700">
                Pipeline
              </label>
              <select
                id={`${id}-pipeline`}
                value={pipelineId}
                onChange={(e) => {
                  const next = pipelines.find((p) => p.id === e.target.value);
                  setPipelineId(e.target.value);
                  setStageId(next?.stages.find((s) => s.kind === "open")?.id ?? next?.stages[0]?.id ?? "");
                  setCode("");
                }}
                className={selectClass}
              >
                {pipelines.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor={`${id}-stage`} className="block text-sm font-medium text-slate-700">
                Stage
              </label>
              <select
                id={`${id}-stage`}
                value={stageId}
                onChange={(e) => {
                  setStageId(e.target.value);
                  setCode("");
                }}
                className={selectClass}
              >
                {targetPipeline?.stages.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </div>
          </div>
        )}
        <div>
          <div className="flex items-baseline gap-1 text-sm font-medium text-slate-700">
            <label htmlFor={`${id}-reason`}>Reason</label>
            <span className="text-red-600" aria-hidden="true">
              *
            </span>
          </div>
          <textarea
            id={`${id}-reason`}
            required
            aria-required="true"
            rows={3}
            maxLength={2000}
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={reasonError ? true : undefined}
            aria-describedby={reasonError ? `${id}-reason-error` : `${id}-reason-hint`}
            placeholder={to.kind === "lost" ? "Why was the deal lost?" : to.kind === "won" ? "What closed the deal?" : "What changed?"}
            className={`mt-1.5 block w-full rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-xs placeholder:text-slate-400 focus:border-accent focus:ring-3 focus:ring-accent/25 focus:outline-hidden ${
              reasonError ? "border-red-500" : "border-slate-300"
            }`}
            onKeyDown={(e) => {
              // Ctrl/Cmd+Enter confirms from the textarea (Enter alone adds a line).
              if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) void submit(e);
            }}
          />
          {reasonError ? (
            <p id={`${id}-reason-error`} className="mt-1.5 text-sm text-red-600">
              {reasonError}
            </p>
          ) : (
            <p id={`${id}-reason-hint`} className="mt-1.5 text-xs text-slate-500">
              Shown on the deal’s timeline with the stage change.
            </p>
          )}
        </div>
        <div>
          <label htmlFor={`${id}-code`} className="block text-sm font-medium text-slate-700">
            Reason code <span className="font-normal text-slate-500">(optional)</span>
          </label>
          <select
            id={`${id}-code`}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            className={selectClass}
          >
            <option value="">None</option>
            {(reasonCodes?.[to.kind] ?? []).map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        {codeError && <p className="-mt-2 text-sm text-red-600">{codeError}</p>}
        {error != null && !reasonError && !codeError && (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
            {errorMessage(error)}
          </p>
        )}
      </form>
    </Dialog>
  );
}
