import { SelectField } from "../ui/SelectField";
import { TextField } from "../ui/TextField";

export interface FilterValues {
  from: string;
  to: string;
  pipelineId: string;
  ownerId: string;
  currency: string;
}

const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const DAY = 86_400_000;

/** Named periods (UTC days, `to` exclusive) that fill From / To; the dates stay editable. */
export function periodPresets(now = new Date()): { key: string; label: string; from: string; to: string }[] {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const tomorrow = Date.UTC(y, m, now.getUTCDate()) + DAY;
  const q = Math.floor(m / 3) * 3;
  return [
    { key: "30d", label: "Last 30 days", from: iso(tomorrow - 30 * DAY), to: iso(tomorrow) },
    { key: "90d", label: "Last 90 days", from: iso(tomorrow - 90 * DAY), to: iso(tomorrow) },
    { key: "12m", label: "Last 12 months", from: iso(Date.UTC(y - 1, m, now.getUTCDate()) + DAY), to: iso(tomorrow) },
    { key: "quarter", label: "This quarter", from: iso(Date.UTC(y, q, 1)), to: iso(Date.UTC(y, q + 3, 1)) },
    { key: "year", label: "This year", from: iso(Date.UTC(y, 0, 1)), to: iso(Date.UTC(y + 1, 0, 1)) },
    { key: "last-year", label: "Last year", from: iso(Date.UTC(y - 1, 0, 1)), to: iso(Date.UTC(y, 0, 1)) },
    { key: "next-6m", label: "Next 6 months", from: iso(Date.UTC(y, m, 1)), to: iso(Date.UTC(y, m + 6, 1)) },
  ];
}

/** The filters every report shares; the route keeps them in the URL. */
export function ReportFilterBar(props: {
  values: FilterValues;
  pipelines: { id: string; name: string }[];
  owners: { id: string; name: string }[];
  currencies: string[];
  onChange: (changes: Partial<FilterValues>) => void;
}) {
  const { values, onChange } = props;
  const presets = periodPresets();
  const preset = presets.find((p) => p.from === values.from && p.to === values.to)?.key ?? (values.from || values.to ? "custom" : "");
  return (
    <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6" role="group" aria-label="Report filters">
      <SelectField
        label="Period"
        value={preset}
        onChange={(e) => {
          const p = presets.find((x) => x.key === e.target.value);
          onChange(p ? { from: p.from, to: p.to } : e.target.value === "" ? { from: "", to: "" } : {});
        }}
      >
        <option value="">Report default</option>
        {presets.map((p) => (
          <option key={p.key} value={p.key}>
            {p.label}
          </option>
        ))}
        {preset === "custom" && <option value="custom">Custom dates</option>}
      </SelectField>
      <TextField label="From" type="date" value={values.from} onChange={(e) => onChange({ from: e.target.value })} />
      <TextField label="To (exclusive)" type="date" value={values.to} onChange={(e) => onChange({ to: e.target.value })} />
      <SelectField label="Pipeline" value={values.pipelineId} onChange={(e) => onChange({ pipelineId: e.target.value })}>
        <option value="">All pipelines</option>
        {props.pipelines.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </SelectField>
      <SelectField label="Owner" value={values.ownerId} onChange={(e) => onChange({ ownerId: e.target.value })}>
        <option value="">Everyone</option>
        {props.owners.map((u) => (
          <option key={u.id} value={u.id}>
            {u.name}
          </option>
        ))}
      </SelectField>
      <SelectField label="Currency" value={values.currency} onChange={(e) => onChange({ currency: e.target.value })}>
        <option value="">All currencies</option>
        {props.currencies.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </SelectField>
    </div>
  );
}
