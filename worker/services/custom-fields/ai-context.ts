import type { CustomFieldRow } from "./registry";

/** A custom value as the AI reads it: option labels instead of stored values, money with its unit. */
export function readableCustomValue(f: Pick<CustomFieldRow, "type" | "options" | "settings">, v: unknown): unknown {
  const label = (x: unknown) => f.options.find((o) => o.value === x)?.label ?? x;
  if (f.type === "single_select") return label(v);
  if (f.type === "multi_select" && Array.isArray(v)) return v.map(label);
  if (f.type === "money" && typeof v === "number") return `${(v / 100).toFixed(2)}${typeof f.settings.currency === "string" ? ` ${f.settings.currency}` : ""}`;
  return v;
}
