/*
 * How a field's value reads, by its type (core or custom): one renderer for list cells, detail pages and cards.
 * Select options carry their colour as a dot beside the label (the label carries the meaning).
 */
import type { ReactNode } from "react";
import type { FieldMeta } from "../../lib/meta";
import { formatDateOnly, formatDateTime, formatMoney } from "../../lib/format";

export interface ValueContext {
  /** Money fields: the record's currency. */
  currency?: string | null;
  nameOf?: (id: string | null | undefined) => string;
}

export function isEmptyValue(v: unknown): boolean {
  return v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);
}

function OptionChip({ label, color }: { label: string; color?: string | null }) {
  return (
    <span className="inline-flex items-center gap-1.5 rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-800 ring-1 ring-slate-200 ring-inset">
      {color && <span aria-hidden="true" className="size-2 rounded-full" style={{ backgroundColor: color }} />}
      {label}
    </span>
  );
}

/** The value as text or chips; null when empty (the caller shows its own placeholder). */
export function fieldDisplay(field: { type: FieldMeta["type"]; options?: readonly { value: string; label: string; color?: string | null }[] }, value: unknown, ctx: ValueContext = {}): ReactNode {
  if (isEmptyValue(value)) return null;
  const option = (v: unknown) => field.options?.find((o) => o.value === v);
  switch (field.type) {
    case "single_select": {
      const o = option(value);
      return <OptionChip label={o?.label ?? String(value)} color={o?.color} />;
    }
    case "multi_select":
      return (
        <span className="flex flex-wrap gap-1">
          {(Array.isArray(value) ? value : [value]).map((v) => {
            const o = option(v);
            return <OptionChip key={String(v)} label={o?.label ?? String(v)} color={o?.color} />;
          })}
        </span>
      );
    case "checkbox":
      return value ? "Yes" : "No";
    case "money":
      return typeof value === "number" ? formatMoney(value, ctx.currency ?? "USD") : String(value);
    case "percent":
      return `${String(value)}%`;
    case "number":
      return typeof value === "number" ? value.toLocaleString() : String(value);
    case "date":
      return formatDateOnly(String(value));
    case "datetime":
      return formatDateTime(String(value));
    case "user":
      return ctx.nameOf ? ctx.nameOf(String(value)) : String(value);
    case "record_link":
      return "Linked record";
    default:
      return String(value);
  }
}
