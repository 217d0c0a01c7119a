import { useRef, useState, type ReactNode } from "react";
import { errorMessage } from "../../lib/api";
import { Button } from "./Button";
import { Dialog } from "./Dialog";

export interface ConfirmDialogProps {
  title: ReactNode;
  message?: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  /** "danger" for destructive actions (delete): red button, and Cancel gets the initial focus. */
  tone?: "default" | "danger";
  /** May return a promise: the dialog stays open with a spinner until it settles, and shows its error. */
  onConfirm: () => unknown;
  onCancel: () => void;
}

/** "Are you sure?" with the answer's consequences spelled out. Render it only while open. */
export function ConfirmDialog({ title, message, confirmLabel, cancelLabel = "Cancel", tone = "default", onConfirm, onCancel }: ConfirmDialogProps) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);

  async function confirm() {
    setPending(true);
    setError(null);
    try {
      await onConfirm();
    } catch (err) {
      setError(err);
      setPending(false);
    }
  }

  return (
    <Dialog
      title={title}
      size="sm"
      onClose={onCancel}
      busy={pending}
      initialFocus={tone === "danger" ? cancelRef : confirmRef}
      footer={
        <>
          <Button ref={cancelRef} onClick={onCancel} disabled={pending}>
            {cancelLabel}
          </Button>
          <Button ref={confirmRef} variant={tone === "danger" ? "danger" : "primary"} onClick={confirm} loading={pending}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {message && <div className="text-sm text-slate-600">{message}</div>}
      {error != null && (
        <p role="alert" className="mt-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {errorMessage(error)}
        </p>
      )}
    </Dialog>
  );
}
