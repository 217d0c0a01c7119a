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

/** Suggested reason codes by the kind of stage the deal moves to (free text stays required). */
export const REASON_CODES: Record<StageKind, { value: string; label: string }[]> = {
  open: [
    { value: "progressed", label: "Buyer progressed" },
    { value: "requirements_confirmed", label: "Requirements confirmed" },
    { value: "stalled", label: "Stalled / moved back" },
    { value: "reassessed", label: "Reassessed" },
    { value: "data_correction", label: "Data correction" },
  ],
  won: [
    { value: "price", label: "Price / value" },
    { value: "product_fit", label: "Product fit" },
    { value: "relationship", label: "Relationship" },
    { value: "timing", label: "Timing" },
  ],
  lost: [
    { value: "price", label: "Price" },
    { value: "competitor", label: "Went with a competitor" },
    { value: "no_budget", label: "No budget" },
    { value: "no_decision", label: "No decision" },
    { value: "product_fit", label: "Product fit" },
    { value: "timing", label: "Timing" },
  ],
};

export interface StageChangeDialogProps {
  dealName: string;
  from: { name: string };
  to: { name: string; kind: StageKind };
  /** Resolves when saved; a rejection is shown in the dialog. */
  onConfirm: (reason: StageChangeReason) => Promise<void> | void;
  onCancel: () => void;
}

/** Asks why a deal moves to another stage; the reason goes into the stage_change activity on its timeline. */
export function StageChangeDialog({ dealName, from, to, onConfirm, onCancel }: StageChangeDialogProps) {
  const id = useId();
  const [text, setText] = useState("");
  const [code, setCode] = useState("");
  const [touched, setTouched] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const missing = text.trim() === "";
  const serverErrors = error instanceof ApiError ? error.fieldErrors : {};
  const reasonError = (touched && missing ? "Enter a reason for the move." : undefined) ?? serverErrors.stageChangeReason ?? serverErrors["stageChangeReason.text"];

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
      await onConfirm({ text: text.trim(), ...(code && { code }) });
    } catch (err) {
      setError(err);
      setPending(false);
    }
  }

  return (
    <Dialog
      title="Move deal to another stage"
      description={
        <>
          <span className="font-medium text-slate-700">{dealName}</span>
          <span className="mt-1 flex flex-wrap items-center gap-1.5">
            <span>{from.name}</span>
            <ArrowRightIcon className="size-3.5" aria-hidden="true" />
            <span className="sr-only">to</span>
            <span className="font-medium text-slate-700">{to.name}</span>
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
            className="mt-1.5 block h-9 w-full rounded-md border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-xs focus:border-accent focus:ring-3 focus:ring-accent/25 focus:outline-hidden"
          >
            <option value="">None</option>
            {REASON_CODES[to.kind].map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        {error != null && !reasonError && (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
            {errorMessage(error)}
          </p>
        )}
      </form>
    </Dialog>
  );
}
