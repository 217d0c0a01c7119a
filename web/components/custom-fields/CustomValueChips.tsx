import { formatCustomValue, optionColor, useCustomFields, type CustomFieldEntity } from "../../lib/custom-fields";

/** The record's values of custom fields marked "show on cards", as small labelled chips (board cards). */
export function CustomValueChips({ entity, values }: { entity: CustomFieldEntity; values: Record<string, unknown> | undefined }) {
  const fields = useCustomFields(entity).filter((f) => f.showOnCard && values?.[f.key] !== undefined && values?.[f.key] !== null);
  if (!fields.length) return null;
  return (
    <dl className="mt-2 flex flex-wrap gap-1.5 text-xs">
      {fields.map((f) => {
        const color = f.type === "single_select" ? optionColor(f, values![f.key]) : null;
        return (
          <div key={f.key} data-custom-field={f.key} className="inline-flex max-w-full items-center gap-1 rounded-full border border-slate-200 bg-slate-50 px-2 py-0.5 text-slate-700">
            {color && <span aria-hidden="true" className="size-2 shrink-0 rounded-full" style={{ background: color }} />}
            <dt className="sr-only">{f.label}</dt>
            <dd className="truncate" title={f.label}>
              {formatCustomValue(f, values![f.key])}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
