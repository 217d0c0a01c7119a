/*
 * The board's filters on custom fields marked filterable (Settings → Fields: they have an index), in the lists' URL
 * syntax: `custom.<key>=value` for selects, checkboxes, users and texts; `custom.<key>[gte]` / `[lte]` ranges for
 * numbers, money, percentages, dates and date-times. Money travels in minor units, date-times as UTC instants.
 */
import { useEffect, useId, useState } from "react";
import { formatCustomValue, type CustomField } from "../../lib/custom-fields";
import { formatDateOnly, fromMinorUnits, toMinorUnits } from "../../lib/format";
import { FilterAmount, FilterSelect } from "../lists/ListFilters";

type Filters = Record<string, string | undefined>;
type Change = (changes: Record<string, string | undefined>) => void;

const RANGED = new Set<CustomField["type"]>(["number", "money", "percent", "date", "datetime"]);
const CHOICE = new Set<CustomField["type"]>(["single_select", "multi_select", "checkbox", "user"]);
const TEXT = new Set<CustomField["type"]>(["text", "url", "email", "phone"]);

/** The fields the board offers as filters: filterable ones of a type with a control. */
export const boardFilterFields = (fields: readonly CustomField[]) => fields.filter((f) => f.filterable && (RANGED.has(f.type) || CHOICE.has(f.type) || TEXT.has(f.type)));

const param = (f: CustomField, op?: "gte" | "lte") => (op ? `custom.${f.key}[${op}]` : `custom.${f.key}`);
const currencyOf = (f: CustomField) => (typeof f.settings.currency === "string" ? f.settings.currency : "USD");
/** A date-time bound as the day it falls on (UTC), for a date input. */
const dayOf = (v: string | undefined) => (v ? v.slice(0, 10) : "");

/** One label per active custom filter, and what clears it (the filter bar's chips). */
export function customFilterChips(fields: readonly CustomField[], filters: Filters, users: readonly { id: string; name: string }[]) {
  const chips: { key: string; label: string; clear: Record<string, string> }[] = [];
  for (const f of boardFilterFields(fields)) {
    const eq = filters[param(f)];
    if (eq) {
      const shown = f.type === "user" ? (users.find((u) => u.id === eq)?.name ?? "…") : formatCustomValue(f, f.type === "checkbox" ? eq === "true" : f.type === "multi_select" ? [eq] : eq);
      chips.push({ key: param(f), label: `${f.label}: ${shown}`, clear: { [param(f)]: "" } });
    }
    const min = filters[param(f, "gte")];
    const max = filters[param(f, "lte")];
    if (min || max) {
      const show = (v: string) => (f.type === "date" || f.type === "datetime" ? formatDateOnly(dayOf(v)) : formatCustomValue(f, Number(v)));
      const range = min && max ? `${show(min)}–${show(max)}` : min ? `≥ ${show(min)}` : `≤ ${show(max!)}`;
      chips.push({ key: `${param(f)}-range`, label: `${f.label} ${range}`, clear: { [param(f, "gte")]: "", [param(f, "lte")]: "" } });
    }
  }
  return chips;
}

/** The controls, one or two per field, for the filter panel's grid. */
export function CustomBoardFilters({ fields, filters, onChange, users }: { fields: readonly CustomField[]; filters: Filters; onChange: Change; users: readonly { id: string; name: string }[] }) {
  return (
    <>
      {boardFilterFields(fields).map((f) => {
        if (CHOICE.has(f.type)) {
          const options =
            f.type === "checkbox" ? [{ value: "true", label: "Yes" }, { value: "false", label: "No" }]
            : f.type === "user" ? users.map((u) => ({ value: u.id, label: u.name }))
            : f.options.map((o) => ({ value: o.value, label: o.label }));
          return <FilterSelect key={f.key} label={f.label} allLabel={`Any ${f.label.toLowerCase()}`} value={filters[param(f)] ?? ""} onChange={(v) => onChange({ [param(f)]: v })} options={options} />;
        }
        if (TEXT.has(f.type)) return <TextFilter key={f.key} label={f.label} value={filters[param(f)] ?? ""} onCommit={(v) => onChange({ [param(f)]: v })} />;
        if (f.type === "money") {
          const currency = currencyOf(f);
          return ["gte", "lte"].map((op) => (
            <FilterAmount
              key={`${f.key}-${op}`}
              label={`${f.label} ${op === "gte" ? "from" : "to"} (${currency})`}
              minor={filters[param(f, op as "gte" | "lte")] ?? ""}
              toMajor={(m) => fromMinorUnits(m, currency)}
              toMinor={(m) => toMinorUnits(m, currency)}
              onCommit={(v) => onChange({ [param(f, op as "gte" | "lte")]: v })}
            />
          ));
        }
        if (f.type === "date" || f.type === "datetime") {
          // A date-time range covers whole days: from the first day's start to the last day's end (UTC).
          const toParam = (day: string, op: "gte" | "lte") => (!day || f.type === "date" ? day : `${day}T${op === "gte" ? "00:00:00.000" : "23:59:59.999"}Z`);
          return (["gte", "lte"] as const).map((op) => (
            <DateFilter
              key={`${f.key}-${op}`}
              label={`${f.label} ${op === "gte" ? "from" : "to"}`}
              value={dayOf(filters[param(f, op)])}
              min={op === "lte" ? dayOf(filters[param(f, "gte")]) : undefined}
              max={op === "gte" ? dayOf(filters[param(f, "lte")]) : undefined}
              onChange={(day) => onChange({ [param(f, op)]: toParam(day, op) })}
            />
          ));
        }
        return (["gte", "lte"] as const).map((op) => (
          <NumberFilter key={`${f.key}-${op}`} label={`${f.label} ${op === "gte" ? "from" : "to"}${f.type === "percent" ? " (%)" : ""}`} value={filters[param(f, op)] ?? ""} onCommit={(v) => onChange({ [param(f, op)]: v })} />
        ));
      })}
    </>
  );
}

const control =
  "block h-9 w-full rounded-md border border-slate-300 bg-white px-2.5 text-sm text-slate-900 shadow-xs focus:border-accent focus:ring-3 focus:ring-accent/25 focus:outline-hidden";

function DateFilter({ label, value, min, max, onChange }: { label: string; value: string; min?: string; max?: string; onChange: (day: string) => void }) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      <input id={id} type="date" className={`${control} mt-1`} value={value} min={min || undefined} max={max || undefined} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

/** A typed value committed on Enter, on blur, or after a pause (so each keystroke is not a request). */
function useCommitted(value: string, onCommit: (v: string) => void, clean: (t: string) => string) {
  const [text, setText] = useState(value);
  const [synced, setSynced] = useState(value);
  if (synced !== value) {
    setSynced(value);
    setText(value);
  }
  const commit = (t: string) => {
    const next = clean(t);
    if (next !== value) onCommit(next);
  };
  useEffect(() => {
    if (text === value) return;
    const timer = setTimeout(() => commit(text), 600);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text]);
  return { text, setText, commit };
}

function NumberFilter({ label, value, onCommit }: { label: string; value: string; onCommit: (v: string) => void }) {
  const id = useId();
  const { text, setText, commit } = useCommitted(value, onCommit, (t) => (t.trim() !== "" && Number.isFinite(Number(t)) ? String(Number(t)) : ""));
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      <input id={id} type="number" inputMode="decimal" className={`${control} tabular mt-1`} value={text} onChange={(e) => setText(e.target.value)} onBlur={() => commit(text)} onKeyDown={(e) => e.key === "Enter" && commit(text)} />
    </div>
  );
}

function TextFilter({ label, value, onCommit }: { label: string; value: string; onCommit: (v: string) => void }) {
  const id = useId();
  const { text, setText, commit } = useCommitted(value, onCommit, (t) => t.trim());
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        {label} is
      </label>
      <input id={id} type="text" className={`${control} mt-1`} value={text} onChange={(e) => setText(e.target.value)} onBlur={() => commit(text)} onKeyDown={(e) => e.key === "Enter" && commit(text)} />
    </div>
  );
}
