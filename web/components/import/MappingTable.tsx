import type { ParsedCsv } from "../../lib/csv";
import { FIELD_LABEL, IMPORT_FIELDS, type CustomTarget, type ImportEntity } from "../../lib/import-mapping";
import { Badge } from "../ui/Badge";
import { SelectField } from "../ui/SelectField";

/**
 * One row per column of the file: its name, sample values and the field it fills. A table from the `sm` breakpoint
 * up; on a phone each row stacks into a card (same markup, so labels and tab order do not change).
 */
export function MappingTable({
  entity,
  parsed,
  mapping,
  suggested,
  customTargets = [],
  onChange,
}: {
  entity: ImportEntity;
  /** The workspace's custom fields of this entity (`custom.<key>`), offered after the core fields. */
  customTargets?: readonly CustomTarget[];
  parsed: ParsedCsv;
  mapping: Record<string, string>;
  suggested: Record<string, string>;
  onChange: (header: string, field: string) => void;
}) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white">
      <table className="block w-full text-left text-sm sm:table">
        <caption className="sr-only">Columns of the file and the field each one fills</caption>
        <thead className="hidden border-b border-slate-200 bg-slate-50 text-xs font-medium text-slate-600 sm:table-header-group">
          <tr>
            <th scope="col" className="px-4 py-2.5">Column in the file</th>
            <th scope="col" className="px-4 py-2.5">Sample values</th>
            <th scope="col" className="w-[21rem] px-4 py-2.5">Import as</th>
          </tr>
        </thead>
        <tbody className="block divide-y divide-slate-100 sm:table-row-group">
          {parsed.header.map((header, index) => {
            const samples = parsed.rows.slice(0, 3).map((r) => r[index] ?? "").filter((v) => v.trim());
            const value = mapping[header] ?? "";
            const used = new Set(Object.entries(mapping).filter(([h, f]) => h !== header && f).map(([, f]) => f));
            return (
              <tr key={`${header}-${index}`} className="block px-4 py-3 sm:table-row sm:p-0">
                <th scope="row" className="block font-medium text-slate-900 sm:table-cell sm:px-4 sm:py-2.5">
                  {header || <span className="text-slate-500 italic">(no name)</span>}
                </th>
                <td className="block text-slate-600 sm:table-cell sm:max-w-72 sm:px-4 sm:py-2.5">
                  <span className="line-clamp-2 break-words">{samples.length ? samples.join(" · ") : <span className="text-slate-500">empty</span>}</span>
                </td>
                <td className="mt-2 block sm:mt-0 sm:table-cell sm:px-4 sm:py-2">
                  <div className="flex items-center gap-2">
                    <SelectField
                      label={`Import column “${header}” as`}
                      hideLabel
                      value={value}
                      onChange={(e) => onChange(header, e.target.value)}
                      className="min-w-0 flex-1"
                    >
                      <option value="">Don’t import</option>
                      {IMPORT_FIELDS[entity].map((f) => (
                        <option key={f} value={f} disabled={used.has(f)}>
                          {FIELD_LABEL[f] ?? f}
                          {used.has(f) ? " (mapped)" : ""}
                        </option>
                      ))}
                      {customTargets.length > 0 && (
                        <optgroup label="Custom fields">
                          {customTargets.map((f) => (
                            <option key={f.name} value={f.name} disabled={used.has(f.name)}>
                              {f.label}
                              {used.has(f.name) ? " (mapped)" : ""}
                            </option>
                          ))}
                        </optgroup>
                      )}
                    </SelectField>
                    {value && suggested[header] === value && <Badge tone="accent">Suggested</Badge>}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
