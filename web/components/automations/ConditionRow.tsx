import { OP_LABELS, type Condition } from "../../lib/automations";
import { Button } from "../ui/Button";
import { SelectField } from "../ui/SelectField";
import { TextField } from "../ui/TextField";

const FIELD_SUGGESTIONS = ["amount", "probability", "ownerId", "pipelineId", "stageId", "closeDate", "source", "name"];

/** Typed values: numbers stay numbers (amount ≥ 100000), lists for "is one of" are comma-separated. */
function parseValue(op: Condition["op"], raw: string): unknown {
  if (op === "in") return raw.split(",").map((v) => v.trim()).filter(Boolean).map(typed);
  return typed(raw.trim());
}
const typed = (v: string): unknown => (v !== "" && !Number.isNaN(Number(v)) ? Number(v) : v === "true" ? true : v === "false" ? false : v);
const shown = (v: unknown) => (Array.isArray(v) ? v.join(", ") : v === undefined || v === null ? "" : String(v));

/** One condition: field (core or custom.<key>), comparison, value. */
export function ConditionRow({ index, condition, onChange, onRemove }: { index: number; condition: Condition; onChange: (c: Condition) => void; onRemove: () => void }) {
  const needsValue = condition.op !== "is_empty" && condition.op !== "is_not_empty";
  return (
    <div className="grid grid-cols-1 items-end gap-2 sm:grid-cols-[1fr_1fr_1fr_auto]">
      <TextField
        label={`Condition ${index + 1} field`}
        list="automation-condition-fields"
        value={condition.field}
        onChange={(e) => onChange({ ...condition, field: e.target.value.trim() })}
        hint="A field, or custom.<key>"
      />
      <datalist id="automation-condition-fields">
        {FIELD_SUGGESTIONS.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      <SelectField label={`Condition ${index + 1} comparison`} value={condition.op} onChange={(e) => onChange({ ...condition, op: e.target.value as Condition["op"] })}>
        {Object.entries(OP_LABELS).map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </SelectField>
      {needsValue ? (
        <TextField label={`Condition ${index + 1} value`} value={shown(condition.value)} onChange={(e) => onChange({ ...condition, value: parseValue(condition.op, e.target.value) })} />
      ) : (
        <span />
      )}
      <Button size="sm" variant="ghost" onClick={onRemove}>
        Remove<span className="sr-only"> condition {index + 1}</span>
      </Button>
    </div>
  );
}
