import { SelectField } from "../ui/SelectField";
import { TextField } from "../ui/TextField";

export interface FilterValues {
  from: string;
  to: string;
  pipelineId: string;
  ownerId: string;
  currency: string;
}

/** The filters every report shares; the route keeps them in the URL. */
export function ReportFilterBar(props: {
  values: FilterValues;
  pipelines: { id: string; name: string }[];
  owners: { id: string; name: string }[];
  currencies: string[];
  onChange: (key: keyof FilterValues, value: string) => void;
  periodHint?: string;
}) {
  const { values, onChange } = props;
  return (
    <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5" role="group" aria-label="Report filters">
      <TextField label="From" type="date" value={values.from} onChange={(e) => onChange("from", e.target.value)} hint={props.periodHint} />
      <TextField label="To (exclusive)" type="date" value={values.to} onChange={(e) => onChange("to", e.target.value)} />
      <SelectField label="Pipeline" value={values.pipelineId} onChange={(e) => onChange("pipelineId", e.target.value)}>
        <option value="">All pipelines</option>
        {props.pipelines.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </SelectField>
      <SelectField label="Owner" value={values.ownerId} onChange={(e) => onChange("ownerId", e.target.value)}>
        <option value="">Everyone</option>
        {props.owners.map((u) => (
          <option key={u.id} value={u.id}>
            {u.name}
          </option>
        ))}
      </SelectField>
      <SelectField label="Currency" value={values.currency} onChange={(e) => onChange("currency", e.target.value)}>
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
