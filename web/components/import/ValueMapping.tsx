import { formatCount } from "../../lib/format";
import { SelectField } from "../ui/SelectField";

/** Each distinct value of a column (stage, lead status) → one of ours, with how often it occurs. */
export function ValueMapping({
  title,
  description,
  values,
  targets,
  map,
  onChange,
  loading = false,
}: {
  title: string;
  description: string;
  values: [string, number][];
  targets: { value: string; label: string }[];
  map: Record<string, string>;
  onChange: (from: string, to: string) => void;
  loading?: boolean;
}) {
  return (
    <fieldset className="rounded-lg border border-slate-200 bg-white p-4">
      <legend className="px-1 text-sm font-semibold text-slate-900">{title}</legend>
      <p className="text-sm text-slate-500">{description}</p>
      {values.length === 0 ? (
        <p className="mt-3 text-sm text-slate-500">The column is empty.</p>
      ) : (
        <ul className="mt-3 grid gap-x-6 gap-y-2 sm:grid-cols-2">
          {values.map(([value, count]) => (
            <li key={value} className="flex items-center gap-3">
              <span className="min-w-0 flex-1 truncate text-sm text-slate-800" title={value}>
                {value} <span className="text-xs text-slate-500">({formatCount(count)})</span>
              </span>
              <span aria-hidden="true" className="text-slate-400">→</span>
              <SelectField label={`“${value}” becomes`} hideLabel value={map[value] ?? ""} onChange={(e) => onChange(value, e.target.value)} className="w-48" disabled={loading}>
                <option value="">{loading ? "Loading…" : "Leave as is"}</option>
                {targets.map((t) => (
                  <option key={t.value} value={t.value}>
                    {t.label}
                  </option>
                ))}
              </SelectField>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
