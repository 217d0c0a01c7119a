import { MATCH_KEY_LABEL, MATCH_KEYS, type DuplicateMode, type ImportEntity } from "../../lib/import-mapping";

export const DUPLICATE_MODES: { id: DuplicateMode; label: string; hint: string }[] = [
  { id: "update", label: "Update the existing record", hint: "Filled cells overwrite its fields; nothing is duplicated." },
  { id: "skip", label: "Skip the row", hint: "The existing record stays exactly as it is." },
  { id: "create", label: "Create a new record anyway", hint: "You may end up with two records of the same name." },
];

/** "by External ID, then e-mail" — how rows of `entity` find their existing record. */
export function matchDescription(entity: ImportEntity): string {
  const keys = MATCH_KEYS[entity].map((k) => MATCH_KEY_LABEL[k]);
  return keys.length > 1 ? `${keys.slice(0, -1).join(", ")} or ${keys.at(-1)}` : keys[0]!;
}

/** The duplicate-handling choice (Pipedrive's and HubSpot's "update / skip / add as new"), as radio cards. */
export function DuplicateChoice({
  entity,
  one,
  value,
  onChange,
  disabled = false,
}: {
  entity: ImportEntity;
  one: string;
  value: DuplicateMode;
  onChange: (mode: DuplicateMode) => void;
  disabled?: boolean;
}) {
  return (
    <fieldset className="rounded-lg border border-slate-200 bg-white p-4" disabled={disabled}>
      <legend className="px-1 text-sm font-semibold text-slate-900">When a row matches an existing {one}</legend>
      <p className="text-sm text-slate-500">Rows are matched by {matchDescription(entity)}.</p>
      <div className="mt-3 grid gap-2 sm:grid-cols-3">
        {DUPLICATE_MODES.map((m) => (
          <label
            key={m.id}
            className={`flex cursor-pointer items-start gap-2.5 rounded-md p-3 text-sm ring-1 has-focus-visible:outline-2 has-focus-visible:outline-offset-2 has-focus-visible:outline-accent ${
              value === m.id ? "bg-accent-soft ring-accent" : "ring-slate-200 hover:bg-slate-50"
            }`}
          >
            <input type="radio" name="duplicates" value={m.id} checked={value === m.id} onChange={() => onChange(m.id)} className="mt-0.5 size-4 accent-(--accent)" />
            <span>
              <span className="font-medium text-slate-900">{m.label}</span>
              {m.id === "update" && <span className="text-slate-600"> (default)</span>}
              <span className="block text-xs text-slate-600">{m.hint}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
