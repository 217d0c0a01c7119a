import { useId, useState, type FormEvent } from "react";
import { ApiError, errorMessage } from "../../lib/api";
import { currencyFractionDigits, fromMinorUnits, toMinorUnits } from "../../lib/format";
import type { PipelineCard, User } from "../../lib/api-types";
import { Button } from "../ui/Button";

export interface CardPatch {
  name?: string;
  amount?: number | null;
  closeDate?: string | null;
  ownerId?: string | null;
}

export interface CardEditorProps {
  card: PipelineCard;
  users: readonly Pick<User, "id" | "name" | "active">[];
  /** Resolves when saved; a rejection (ApiError) is shown in the form, per field when the server names one. */
  onSave: (patch: CardPatch) => Promise<void>;
  onCancel: () => void;
  /** Offered when the workspace has other pipelines: opens the "move to another pipeline" dialog. */
  onMovePipeline?: () => void;
}

const inputClass =
  "mt-1 block h-8 w-full rounded-md border bg-white px-2 text-sm text-slate-900 shadow-xs focus:border-accent focus:ring-3 focus:ring-accent/25 focus:outline-hidden";

/** The card turned into a small form: name, amount, close date and owner. Enter saves, Escape cancels. */
export function CardEditor({ card, users, onSave, onCancel, onMovePipeline }: CardEditorProps) {
  const id = useId();
  const digits = currencyFractionDigits(card.currency);
  const [name, setName] = useState(card.name);
  const [amount, setAmount] = useState(card.amount === null ? "" : String(fromMinorUnits(card.amount, card.currency)));
  const [closeDate, setCloseDate] = useState(card.closeDate ?? "");
  const [ownerId, setOwnerId] = useState(card.ownerId ?? "");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});

  async function submit(event: FormEvent) {
    event.preventDefault();
    const errors: Record<string, string> = {};
    const patch: CardPatch = {};
    if (!name.trim()) errors.name = "Enter a name.";
    else if (name.trim() !== card.name) patch.name = name.trim();
    const amountText = amount.trim();
    if (amountText === "") {
      if (card.amount !== null) patch.amount = null;
    } else {
      const major = Number(amountText);
      const scaled = major * 10 ** digits;
      if (!Number.isFinite(major) || major < 0) errors.amount = "Enter an amount of 0 or more.";
      // Never round money silently: 12.345 USD is refused, not saved as 12.35.
      else if (Math.abs(scaled - Math.round(scaled)) > 1e-6 * Math.max(1, Math.abs(scaled))) {
        errors.amount =
          digits === 0
            ? `${card.currency} amounts have no decimals: ${amountText} can’t be saved as it is. Enter a whole number.`
            : `${card.currency} amounts have at most ${digits} decimal places: ${amountText} can’t be saved as it is. Enter it with ${digits} or fewer.`;
      } else {
        const minor = toMinorUnits(major, card.currency);
        if (minor !== card.amount) patch.amount = minor;
      }
    }
    if ((closeDate || null) !== card.closeDate) patch.closeDate = closeDate || null;
    if ((ownerId || null) !== card.ownerId) patch.ownerId = ownerId || null;
    setLocalErrors(errors);
    if (Object.keys(errors).length) return;
    if (Object.keys(patch).length === 0) {
      onCancel();
      return;
    }
    setPending(true);
    setError(null);
    try {
      await onSave(patch);
    } catch (err) {
      setError(err);
      setPending(false);
    }
  }

  const serverErrors = error instanceof ApiError ? error.fieldErrors : {};
  const fieldError = (field: string) => localErrors[field] ?? serverErrors[field];
  const generalError = error && !Object.keys(serverErrors).some((k) => ["name", "amount", "closeDate", "ownerId"].includes(k)) ? errorMessage(error) : null;
  const described = (field: string) => (fieldError(field) ? `${id}-${field}-error` : undefined);

  return (
    <form
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          e.stopPropagation();
          if (!pending) onCancel();
        }
      }}
      aria-label={`Edit ${card.name}`}
      className="rounded-lg border border-accent/40 bg-white p-3 shadow-sm ring-2 ring-accent/15"
      noValidate
    >
      <div className="space-y-2">
        <div>
          <label htmlFor={`${id}-name`} className="text-xs font-medium text-slate-600">
            Name
          </label>
          <input
            id={`${id}-name`}
            className={`${inputClass} ${fieldError("name") ? "border-red-500" : "border-slate-300"}`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={fieldError("name") ? true : undefined}
            aria-describedby={described("name")}
            autoFocus
            maxLength={300}
          />
          <FieldError id={described("name")} message={fieldError("name")} />
        </div>
        <div className="grid grid-cols-2 gap-2">
          <div>
            <label htmlFor={`${id}-amount`} className="text-xs font-medium text-slate-600">
              Amount ({card.currency})
            </label>
            <input
              id={`${id}-amount`}
              type="number"
              inputMode="decimal"
              min={0}
              step={digits === 0 ? 1 : 1 / 10 ** digits}
              className={`${inputClass} tabular ${fieldError("amount") ? "border-red-500" : "border-slate-300"}`}
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              aria-invalid={fieldError("amount") ? true : undefined}
              aria-describedby={described("amount")}
            />
            <FieldError id={described("amount")} message={fieldError("amount")} />
          </div>
          <div>
            <label htmlFor={`${id}-close`} className="text-xs font-medium text-slate-600">
              Close date
            </label>
            <input
              id={`${id}-close`}
              type="date"
              className={`${inputClass} ${fieldError("closeDate") ? "border-red-500" : "border-slate-300"}`}
              value={closeDate}
              onChange={(e) => setCloseDate(e.target.value)}
              aria-invalid={fieldError("closeDate") ? true : undefined}
              aria-describedby={described("closeDate")}
            />
            <FieldError id={described("closeDate")} message={fieldError("closeDate")} />
          </div>
        </div>
        <div>
          <label htmlFor={`${id}-owner`} className="text-xs font-medium text-slate-600">
            Owner
          </label>
          <select
            id={`${id}-owner`}
            className={`${inputClass} ${fieldError("ownerId") ? "border-red-500" : "border-slate-300"}`}
            value={ownerId}
            onChange={(e) => setOwnerId(e.target.value)}
            aria-invalid={fieldError("ownerId") ? true : undefined}
            aria-describedby={described("ownerId")}
          >
            <option value="">Unassigned</option>
            {card.ownerId && !users.some((u) => u.id === card.ownerId) && <option value={card.ownerId}>{card.ownerName ?? "Current owner"}</option>}
            {users
              .filter((u) => u.active || u.id === card.ownerId)
              .map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
          </select>
          <FieldError id={described("ownerId")} message={fieldError("ownerId")} />
        </div>
      </div>
      {generalError && (
        <p role="alert" className="mt-2 text-xs text-red-600">
          {generalError}
        </p>
      )}
      <div className="mt-3 flex flex-wrap justify-end gap-2">
        {onMovePipeline && (
          <Button size="sm" variant="ghost" className="mr-auto" onClick={onMovePipeline} disabled={pending}>
            Move to pipeline…
          </Button>
        )}
        <Button size="sm" variant="ghost" onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
        <Button size="sm" variant="primary" type="submit" loading={pending}>
          Save
        </Button>
      </div>
    </form>
  );
}

function FieldError({ id, message }: { id?: string; message?: string }) {
  if (!message || !id) return null;
  return (
    <p id={id} className="mt-1 text-xs text-red-600">
      {message}
    </p>
  );
}
