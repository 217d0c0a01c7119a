import { useState, type FormEvent } from "react";
import { ApiError, errorMessage } from "../../lib/api";
import {
  createField,
  CUSTOM_FIELD_TYPES,
  ENTITY_LABELS,
  typeLabel,
  updateField,
  type ConversionReport,
  type CustomField,
  type CustomFieldEntity,
  type CustomFieldType,
} from "../../lib/custom-fields";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { SelectField } from "../ui/SelectField";
import { TextField } from "../ui/TextField";
import { OptionsEditor, type OptionDraft } from "./OptionsEditor";

const isSelect = (t: string) => t === "single_select" || t === "multi_select";
/** "Renewal date" → "renewal_date": the key suggested while the admin types a label. */
const keyFrom = (label: string) =>
  label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^[^a-z]+|_+$/g, "")
    .slice(0, 32);

const PALETTE = ["#1e88e5", "#43a047", "#fb8c00", "#8e24aa", "#e53935", "#00897b", "#6d4c41", "#546e7a"];

/** Create / edit one custom field. A type change is previewed (dry run) and confirmed before anything converts. */
export function FieldDialog({ entity, field, onClose, onSaved }: { entity: CustomFieldEntity; field: CustomField | null; onClose: () => void; onSaved: (message: string) => void }) {
  const [label, setLabel] = useState(field?.label ?? "");
  const [key, setKey] = useState(field?.key ?? "");
  const [keyTouched, setKeyTouched] = useState(false);
  const [type, setType] = useState<CustomFieldType>(field?.type ?? "text");
  const [options, setOptions] = useState<OptionDraft[]>(() => (field?.options ?? []).map((o) => ({ value: o.value, label: o.label, color: o.color ?? PALETTE[0]!, isNew: false })));
  const [target, setTarget] = useState<CustomFieldEntity>((field?.settings.target as CustomFieldEntity | undefined) ?? "account");
  const [currency, setCurrency] = useState((field?.settings.currency as string | undefined) ?? "");
  const [aiPrivate, setAiPrivate] = useState(field?.settings.aiPrivate === true);
  const [required, setRequired] = useState(field?.required ?? false);
  const [defaultValue, setDefaultValue] = useState(field?.defaultValue === null || field?.defaultValue === undefined ? "" : String(field.defaultValue));
  const [helpText, setHelpText] = useState(field?.helpText ?? "");
  const [showOnCard, setShowOnCard] = useState(field?.showOnCard ?? false);
  const [showInQuickCreate, setShowInQuickCreate] = useState(field?.showInQuickCreate ?? false);
  const [filterable, setFilterable] = useState(field?.filterable ?? false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const [preview, setPreview] = useState<ConversionReport | null>(null);
  const [inUse, setInUse] = useState<Record<string, number> | null>(null);
  const [remapTo, setRemapTo] = useState<Record<string, string>>({});

  const typeChanged = field !== null && type !== field.type;

  function typedDefault(): unknown {
    if (defaultValue.trim() === "") return null;
    if (type === "number" || type === "percent") return Number(defaultValue);
    if (type === "money") return Math.round(Number(defaultValue) * 100);
    if (type === "checkbox") return defaultValue === "true";
    if (type === "multi_select") return [defaultValue];
    return defaultValue.trim();
  }

  function body() {
    const settings: Record<string, unknown> = {};
    if (type === "record_link") settings.target = target;
    if (type === "money" && currency.trim()) settings.currency = currency.trim().toUpperCase();
    if (aiPrivate) settings.aiPrivate = true;
    return {
      label: label.trim(),
      type,
      options: isSelect(type) ? options.map((o, i) => ({ value: o.value.trim() || keyFrom(o.label) || `option_${i + 1}`, label: o.label.trim(), color: o.color, order: i })) : undefined,
      settings,
      required,
      defaultValue: type === "user" || type === "record_link" ? null : typedDefault(),
      helpText: helpText.trim() || null,
      showOnCard,
      showInQuickCreate,
      filterable,
    };
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!label.trim()) problems.label = "Give the field a name";
    if (!field && !/^[a-z][a-zA-Z0-9_]{0,31}$/.test(key)) problems.key = "Lowercase letters, digits and _; starts with a letter";
    if (isSelect(type) && options.length === 0) problems.options = "Add at least one option";
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setPending(true);
    setFailure(null);
    try {
      if (!field) {
        await createField({ entity, key, ...body() });
        onSaved(`“${label.trim()}” added`);
        return;
      }
      const patch = { version: field.version, ...body(), ...(Object.keys(remapTo).length ? { remapTo: Object.fromEntries(Object.entries(remapTo).map(([k, v]) => [k, v === "" ? null : v])) } : {}) };
      if (typeChanged && !preview) {
        const dry = await updateField(field.id, { ...patch, dryRun: true });
        setPreview(dry.conversion);
        setPending(false);
        return;
      }
      const res = await updateField(field.id, patch);
      const c = res.conversion;
      onSaved(c ? `“${label.trim()}” is now ${typeLabel(type).toLowerCase()}: ${c.converted} value${c.converted === 1 ? "" : "s"} converted, ${c.failed} could not be` : `“${label.trim()}” saved`);
    } catch (err) {
      setPending(false);
      if (err instanceof ApiError && err.status === 409 && err.extensions.inUse) {
        setInUse(err.extensions.inUse as Record<string, number>);
        return;
      }
      if (err instanceof ApiError && err.errors?.length) {
        const fe = err.fieldErrors;
        setErrors({ label: fe.label ?? "", key: fe.key ?? "", options: Object.entries(fe).find(([k]) => k.startsWith("options"))?.[1] ?? "", defaultValue: fe.defaultValue ?? "" });
      }
      setFailure(err);
    }
  }

  const kept = options.map((o) => o.value).filter(Boolean);
  return (
    <Dialog
      title={field ? `Edit “${field.label}”` : `Add a field to ${ENTITY_LABELS[entity].toLowerCase()}`}
      size="lg"
      onClose={onClose}
      busy={pending}
      footer={
        <>
          <Button onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" form="custom-field-form" variant="primary" loading={pending}>
            {!field ? "Add field" : typeChanged && !preview ? "Preview the change" : typeChanged ? "Convert and save" : "Save"}
          </Button>
        </>
      }
    >
      <form id="custom-field-form" onSubmit={submit} noValidate className="space-y-4">
        {failure !== null && (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
            {errorMessage(failure)}
          </p>
        )}
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Label"
            value={label}
            onChange={(e) => {
              setLabel(e.target.value);
              if (!field && !keyTouched) setKey(keyFrom(e.target.value));
            }}
            error={errors.label || undefined}
          />
          <TextField
            label="Key"
            value={key}
            disabled={field !== null}
            hint={field ? "The key cannot change: integrations and imports use it." : `Used in the API, filters and CSV columns as custom.${key || "key"}`}
            onChange={(e) => {
              setKeyTouched(true);
              setKey(e.target.value);
            }}
            error={errors.key || undefined}
            className="font-mono"
          />
        </div>
        <SelectField
          label="Type"
          value={type}
          onChange={(e) => {
            setType(e.target.value as CustomFieldType);
            setPreview(null);
          }}
          hint={field ? "Changing the type converts existing values; you see what converts before anything changes." : undefined}
        >
          {CUSTOM_FIELD_TYPES.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </SelectField>
        {preview && (
          <div role="status" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            <p>
              {preview.converted} value{preview.converted === 1 ? "" : "s"} will convert to {typeLabel(preview.to).toLowerCase()}; {preview.failed} will not and will be removed (kept in the audit log).
            </p>
            {preview.examples.length > 0 && <p className="mt-1 text-xs">For example: {preview.examples.slice(0, 5).map((x) => JSON.stringify(x.value)).join(", ")}</p>}
          </div>
        )}

        {isSelect(type) && <OptionsEditor options={options} onChange={setOptions} palette={PALETTE} error={errors.options || undefined} />}
        {inUse && (
          <fieldset className="rounded-md border border-amber-200 bg-amber-50 p-3">
            <legend className="px-1 text-sm font-medium text-amber-900">Removed options still in use</legend>
            <p className="text-sm text-amber-900">Choose where the records holding them go, then save again.</p>
            <div className="mt-2 grid gap-3 sm:grid-cols-2">
              {Object.entries(inUse).map(([value, count]) => (
                <SelectField key={value} label={`“${value}” (${count} record${count === 1 ? "" : "s"})`} value={remapTo[value] ?? ""} onChange={(e) => setRemapTo((m) => ({ ...m, [value]: e.target.value }))}>
                  <option value="">Clear the value</option>
                  {kept.map((k) => (
                    <option key={k} value={k}>
                      {options.find((o) => o.value === k)?.label ?? k}
                    </option>
                  ))}
                </SelectField>
              ))}
            </div>
          </fieldset>
        )}
        {type === "record_link" && (
          <SelectField label="Links to" value={target} onChange={(e) => setTarget(e.target.value as CustomFieldEntity)}>
            {(Object.keys(ENTITY_LABELS) as CustomFieldEntity[]).map((e) => (
              <option key={e} value={e}>
                {ENTITY_LABELS[e]}
              </option>
            ))}
          </SelectField>
        )}
        {type === "money" && <TextField label="Currency" hint="ISO code, e.g. EUR (optional)" value={currency} maxLength={3} onChange={(e) => setCurrency(e.target.value)} />}

        <div className="grid gap-4 sm:grid-cols-2">
          {type === "single_select" || type === "multi_select" ? (
            <SelectField label="Default value" value={defaultValue} onChange={(e) => setDefaultValue(e.target.value)} error={errors.defaultValue || undefined}>
              <option value="">No default</option>
              {options.filter((o) => o.value).map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </SelectField>
          ) : type === "checkbox" ? (
            <SelectField label="Default value" value={defaultValue} onChange={(e) => setDefaultValue(e.target.value)}>
              <option value="">No default</option>
              <option value="true">Checked</option>
              <option value="false">Unchecked</option>
            </SelectField>
          ) : type === "user" || type === "record_link" ? null : (
            <TextField
              label="Default value"
              hint={type === "money" ? "In major units, e.g. 1200.50" : type === "date" ? "YYYY-MM-DD" : "Optional"}
              value={defaultValue}
              onChange={(e) => setDefaultValue(e.target.value)}
              error={errors.defaultValue || undefined}
            />
          )}
          <TextField label="Help text" hint="Shown under the field on forms" value={helpText} onChange={(e) => setHelpText(e.target.value)} />
        </div>

        <fieldset className="grid gap-2 sm:grid-cols-2">
          <legend className="mb-1 text-sm font-medium text-slate-700">Behaviour</legend>
          {(
            [
              ["Required", required, setRequired, "New records must have a value"],
              ["Show on cards", showOnCard, setShowOnCard, "On board cards"],
              ["Show in quick create", showInQuickCreate, setShowInQuickCreate, "Asked for when creating a record"],
              ["Filterable", filterable, setFilterable, "Indexed for list filters and sorting"],
              ["Private from AI", aiPrivate, setAiPrivate, "Never sent to the AI assistant"],
            ] as const
          ).map(([name, value, set, hint]) => (
            <label key={name} className="flex items-start gap-2 text-sm text-slate-700">
              <input type="checkbox" checked={value} onChange={(e) => set(e.target.checked)} className="mt-0.5 accent-(--accent)" />
              <span>
                {name}
                <span className="block text-xs text-slate-500">{hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
      </form>
    </Dialog>
  );
}
