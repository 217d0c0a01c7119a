import type { ReactNode } from "react";

/**
 * Gives a RecordCombobox (label hidden, still announced) the same visible label and error layout as TextField.
 * The visible copy is aria-hidden so the name is not read twice.
 */
export function ComboboxField({ label, error, children }: { label: string; error?: string; children: ReactNode }) {
  return (
    <div>
      <span aria-hidden="true" className="block text-sm font-medium text-slate-700">
        {label}
      </span>
      <div className="mt-1.5">{children}</div>
      {error && <p className="mt-1.5 text-sm text-red-600">{error}</p>}
    </div>
  );
}
