/* The filter builder: an AND of conditions, each a field, an operator and a value (or a date preset). */
import { DATE_PRESETS, OP_LABEL, type FilterCondition, type FilterFieldSpec, type FilterOp } from "../../lib/grid-filters";
import { PlusIcon } from "../icons";
import { Button } from "../ui/Button";

const input = "h-9 rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-900";

export function FilterBuilder({ specs, value, onChange }: { specs: readonly FilterFieldSpec[]; value: readonly FilterCondition[]; onChange: (next: FilterCondition[]) => void }) {
  const set = (i: number, patch: Partial<FilterCondition>) => onChange(value.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  const add = () => {
    const first = specs[0]!;
    onChange([...value, { field: first.key, op: first.ops[0]! }]);
  };
  return (
    <div role="group" aria-label="Filters" className="space-y-2">
      {value.map((c, i) => {
        const spec = specs.find((s) => s.key === c.field) ?? specs[0]!;
        const op = (spec.ops.includes(c.op as FilterOp) ? c.op : spec.ops[0]) as FilterOp;
        return (
          <div key={i} className="flex flex-wrap items-center gap-2" data-testid="filter-condition">
            {i > 0 && <span className="w-10 text-xs font-medium text-slate-600">and</span>}
            <select aria-label={`Filter ${i + 1} field`} className={input} value={spec.key} onChange={(e) => set(i, { field: e.target.value, op: specs.find((s) => s.key === e.target.value)!.ops[0]!, value: undefined })}>
              {specs.map((s) => (
                <option key={s.key} value={s.key}>
                  {s.label}
                </option>
              ))}
            </select>
            <select aria-label={`Filter ${i + 1} operator`} className={input} value={op} onChange={(e) => set(i, { op: e.target.value, value: undefined })}>
              {spec.ops.map((o) => (
                <option key={o} value={o}>
                  {OP_LABEL[o]}
                </option>
              ))}
            </select>
            {op === "empty" ? null : op === "in" ? (
              <select aria-label={`Filter ${i + 1} value`} className={input} value={c.value ?? ""} onChange={(e) => set(i, { value: e.target.value })}>
                <option value="">Choose a period…</option>
                {DATE_PRESETS.map((p) => (
                  <option key={p.value} value={p.value}>
                    {p.label}
                  </option>
                ))}
              </select>
            ) : spec.options && op === "eq" ? (
              <select aria-label={`Filter ${i + 1} value`} className={input} value={c.value ?? ""} onChange={(e) => set(i, { value: e.target.value })}>
                <option value="">Choose…</option>
                {spec.options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            ) : (
              <input
                aria-label={`Filter ${i + 1} value`}
                className={`${input} w-40`}
                type={spec.type === "date" || spec.type === "datetime" ? "date" : ["number", "money", "percent"].includes(spec.type) ? "number" : "text"}
                defaultValue={c.value ?? ""}
                onBlur={(e) => set(i, { value: e.target.value })}
                onKeyDown={(e) => e.key === "Enter" && set(i, { value: (e.target as HTMLInputElement).value })}
              />
            )}
            <Button size="sm" variant="ghost" aria-label={`Remove filter ${i + 1}`} onClick={() => onChange(value.filter((_, j) => j !== i))}>
              ×
            </Button>
          </div>
        );
      })}
      <Button size="sm" onClick={add}>
        <PlusIcon className="size-4" />
        Add filter
      </Button>
    </div>
  );
}
