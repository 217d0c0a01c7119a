import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useNavigate } from "react-router";
import { ApiError, errorMessage } from "../lib/api";
import { useCurrentUser } from "../lib/auth";
import type { QuickCreateKind, QuickCreatePreset } from "../lib/commands";
import { parseMoneyInput } from "../lib/format";
import { loadPipelines, rememberedPipeline, type PipelineInfo } from "../lib/pipelines";
import { createRecord, dateInDays, dueAtFromDate } from "../lib/quick-create";

const firstOpen = (p: PipelineInfo | undefined) => p?.stages.find((s) => s.kind === "open")?.id ?? p?.stages[0]?.id ?? "";
import { searchAccounts } from "../lib/records";
import { recordPath, rememberRecent, searchRecords, TYPE_LABEL, type SearchType } from "../lib/search";
import { AmountField, preferredCurrency } from "./AmountField";
import { ComboboxField } from "./ComboboxField";
import { RecordCombobox, type RecordOption } from "./RecordCombobox";
import { Button } from "./ui/Button";
import { Dialog } from "./ui/Dialog";
import { SelectField } from "./ui/SelectField";
import { TextField } from "./ui/TextField";
import { CustomFieldInputs, parseCustomInputs, type CustomInputValues } from "./fields/CustomFieldInputs";
import { customFieldsOf, useMeta, type FieldMeta, type Meta } from "../lib/meta";
import { entityDecl, type EntityKey } from "../../domain";
import { coreFieldMeta } from "../../domain/meta";
import { useUsers } from "../lib/useUsers";
import { useToast } from "./ui/Toast";

/** `short` fits five segments across a 375 px phone. */
const KINDS: { kind: QuickCreateKind; label: string; short?: string }[] = [
  { kind: "account", label: "Account" },
  { kind: "contact", label: "Contact" },
  { kind: "lead", label: "Lead" },
  { kind: "opportunity", label: "Opportunity", short: "Deal" },
  { kind: "task", label: "Task" },
];

const LAST_KIND_KEY = "bespoke.quickCreate.kind";

function lastKind(): QuickCreateKind {
  try {
    const k = window.localStorage.getItem(LAST_KIND_KEY);
    return KINDS.some((x) => x.kind === k) ? (k as QuickCreateKind) : "account";
  } catch {
    return "account";
  }
}

/**
 * The core fields quick create shows: those the domain declares with `ui.quickCreate` (domain/<entity>.ts), as
 * GET /api/meta answers them — or, until it has, as the declarations derive them here (the same function).
 */
function quickCreateFields(meta: Meta | null, kind: EntityKey): FieldMeta[] {
  const fields = meta ? meta.entities[kind].fields.filter((f) => f.source === "core") : coreFieldMeta(entityDecl(kind));
  return fields.filter((f) => f.showInQuickCreate);
}

/** What a core field's input holds: typed text by field key, and the widgets that are not text. */
interface Values {
  text: Record<string, string>;
  account: RecordOption | null;
  amount: string;
  currency: string;
  pipelineId: string;
  stageId: string;
  subject: string;
  due: string;
  related: (RecordOption & { type: SearchType }) | null;
}

const INPUT_TYPE: Partial<Record<FieldMeta["type"], string>> = { email: "email", date: "date", url: "url", phone: "tel", number: "number" };
/** Examples in empty inputs, by `<entity>.<field>`: presentation only (labels, types and order come from the domain). */
const PLACEHOLDER: Record<string, string> = { "account.name": "Acme Inc.", "opportunity.name": "Acme — annual licence", "contact.name": "Ada Lovelace", "lead.name": "Ada Lovelace" };
const HINT: Record<string, string> = { "account.domain": "Optional, e.g. acme.com" };

const accountOptions = async (q: string, signal: AbortSignal): Promise<RecordOption[]> =>
  (await searchAccounts(q, { signal })).map((a) => ({ id: a.id, name: a.name, hint: a.domain ?? a.industry }));

const relatedOptions = async (q: string, signal: AbortSignal): Promise<(RecordOption & { type: SearchType })[]> => {
  if (!q.trim()) return [];
  const res = await searchRecords(q, { signal, limit: 8 });
  return res.groups.flatMap((g) =>
    g.items.map((i) => ({ id: i.id, type: i.type, name: i.title, hint: [TYPE_LABEL[i.type]?.one, i.subtitle].filter(Boolean).join(" · ") })),
  );
};

/**
 * Quick create: one small form per record type, opened from the header's "+" or the "c" shortcut. On success the
 * new record's page opens (a task opens the record it is about).
 */
export default function QuickCreateDialog({
  initialKind,
  preset,
  onClose,
}: {
  initialKind?: QuickCreateKind;
  preset?: QuickCreatePreset;
  onClose: () => void;
}) {
  const user = useCurrentUser();
  const navigate = useNavigate();
  const toast = useToast();
  const id = useId();
  const [kind, setKind] = useState<QuickCreateKind>(() => initialKind ?? lastKind());
  const [values, setValues] = useState<Values>(() => ({
    // A deal is expected to close in a month unless said otherwise.
    text: { closeDate: dateInDays(30) },
    account: preset?.account ?? null,
    amount: "",
    currency: preferredCurrency(),
    pipelineId: "",
    stageId: "",
    subject: "",
    due: dateInDays(1),
    related: preset?.related ? { id: preset.related.id, type: preset.related.type, name: preset.related.title } : null,
  }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const [pipelines, setPipelines] = useState<PipelineInfo[] | null>(null);
  const [stagesError, setStagesError] = useState<unknown>(null);
  const firstFieldRef = useRef<HTMLInputElement>(null);
  // Custom fields marked "show in quick create" (Settings → Fields), rendered by type after the core ones.
  const meta = useMeta();
  const { users } = useUsers();
  const coreInputs = kind === "task" ? [] : quickCreateFields(meta, kind);
  const customInputs = kind === "task" ? [] : customFieldsOf(meta, kind).filter((f) => f.showInQuickCreate);
  const [customValues, setCustomValues] = useState<CustomInputValues>({});
  const wantsStages = coreInputs.some((f) => f.target === "stage");

  /** `error` names the field the way the form's errors are keyed (the API's path for core fields). */
  const set = <K extends keyof Values>(key: K, value: Values[K], error: string = key) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((e) => (e[error] ? { ...e, [error]: "" } : e));
  };
  const setText = (key: string, value: string) => {
    setValues((v) => ({ ...v, text: { ...v.text, [key]: value } }));
    setErrors((e) => (e[key] ? { ...e, [key]: "" } : e));
  };

  // Pipelines and their stages are only needed for a stage field (deals); fetched once. Preselected: the pipeline the
  // board last showed (else the default) and its first open stage.
  useEffect(() => {
    if (!wantsStages || pipelines) return;
    const controller = new AbortController();
    loadPipelines({ signal: controller.signal }).then(
      (list) => {
        setPipelines(list);
        const pick = list.find((p) => p.id === rememberedPipeline()) ?? list.find((p) => p.isDefault) ?? list[0];
        setValues((v) => (v.pipelineId ? v : { ...v, pipelineId: pick?.id ?? "", stageId: firstOpen(pick) }));
      },
      (err: unknown) => {
        if (!controller.signal.aborted) setStagesError(err);
      },
    );
    return () => controller.abort();
  }, [wantsStages, pipelines]);

  function chooseKind(next: QuickCreateKind) {
    setKind(next);
    setErrors({});
    setFailure(null);
    try {
      window.localStorage.setItem(LAST_KIND_KEY, next);
    } catch {
      /* a convenience only */
    }
    // Keep the typed name when switching (a lead that should have been a contact), focus it again.
    requestAnimationFrame(() => firstFieldRef.current?.focus());
  }

  function validate(): Record<string, string> {
    const e: Record<string, string> = {};
    if (kind === "task") {
      if (!values.subject.trim()) e.subject = "Enter what needs doing";
      if (!values.related) e.related = "Choose the record this task is about";
      return e;
    }
    const filled = (key: string) => Boolean(values.text[key]?.trim());
    for (const f of coreInputs) {
      if (f.required && inputKind(f) === "text" && !filled(f.key)) e[f.key] = `Enter a ${f.label.toLowerCase()}`;
      if (f.type === "money") {
        const amount = parseMoneyInput(values.amount, values.currency);
        if (!amount.ok) e[f.key] = amount.error;
      }
    }
    // People need a name or an e-mail (the declaration's `nameOrEmail`).
    if (entityDecl(kind).nameOrEmail && !filled("name") && !filled("email")) e.name = "Enter a name or an e-mail";
    return { ...e, ...parseCustomInputs(customInputs, customValues, values.currency).errors };
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    const problems = validate();
    if (Object.values(problems).some(Boolean)) {
      setErrors(problems);
      return;
    }
    setPending(true);
    setFailure(null);
    try {
      const v = values;
      const parsedCustom = parseCustomInputs(customInputs, customValues, v.currency).custom;
      const custom = Object.keys(parsedCustom).length ? { custom: parsedCustom } : {};
      let path: string;
      let message: string;
      if (kind !== "task") {
        // The body from the fields shown: typed text by key, the account picked, the amount with its currency, the
        // stage with its pipeline.
        const body: Record<string, unknown> = { ...custom };
        for (const f of coreInputs) {
          const input = inputKind(f);
          if (input === "text") body[f.key] = v.text[f.key]?.trim() || undefined;
          else if (input === "account") body[f.key] = v.account?.id;
          else if (input === "money") {
            const parsed = parseMoneyInput(v.amount, v.currency);
            body[f.key] = parsed.ok ? (parsed.minor ?? undefined) : undefined;
            body.currency = v.currency;
          } else if (input === "stage") {
            body[f.key] = v.stageId || undefined;
            body.pipelineId = v.pipelineId || undefined;
          }
        }
        const plural = entityDecl(kind).plural;
        const rec = (await createRecord(plural, body as never)) as { id: string; name: string; email?: string | null; domain?: string | null; company?: string | null };
        const subtitle = v.account?.name ?? rec.domain ?? rec.company ?? rec.email ?? null;
        rememberRecent(user.id, { id: rec.id, type: kind, title: rec.name, subtitle });
        path = recordPath(kind, rec.id);
        message = `${label} “${rec.name}” created`;
      } else {
        const related = v.related!;
        const target = { account: "accountId", contact: "contactId", lead: "leadId", opportunity: "opportunityId" }[related.type];
        await createRecord("activities", {
          type: "task",
          subject: v.subject.trim(),
          dueAt: v.due ? dueAtFromDate(v.due) : undefined,
          ownerId: user.id,
          [target]: related.id,
        });
        path = recordPath(related.type, related.id);
        message = `Task added to ${related.name}`;
      }
      toast.success(message);
      onClose();
      navigate(path);
    } catch (err) {
      setPending(false);
      if (err instanceof ApiError && err.errors?.length) {
        const byField = err.fieldErrors;
        const mapped: Record<string, string> = {};
        for (const [path, msg] of Object.entries(byField)) {
          const key = kind !== "task" ? (path === "currency" ? "amount" : path) : path === "dueAt" ? "due" : /^(accountId|contactId|leadId|opportunityId)$/.test(path) ? "related" : path;
          mapped[key] = `${msg.charAt(0).toUpperCase()}${msg.slice(1)}`;
        }
        setErrors(mapped);
        // Problems on fields this form does not show still need saying.
        const shown = new Set(["pipelineId", "subject", "due", "related", ...coreInputs.map((f) => f.key)]);
        for (const f of customInputs) shown.add(`custom.${f.key}`);
        if (Object.keys(mapped).some((k) => !shown.has(k))) setFailure(err);
      } else {
        setFailure(err);
      }
    }
  }

  const label = KINDS.find((k) => k.kind === kind)!.label;
  const formId = `${id}-form`;
  return (
    <Dialog
      title="Create a record"
      onClose={onClose}
      busy={pending}
      initialFocus={firstFieldRef}
      footer={
        <>
          <Button onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} variant="primary" loading={pending}>
            Create {label.toLowerCase()}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate className="space-y-4">
        <fieldset>
          <legend className="sr-only">Record type</legend>
          <div className="grid grid-cols-5 gap-1 rounded-lg bg-slate-100 p-1 sm:flex">
            {KINDS.map((k) => (
              <label
                key={k.kind}
                className={`relative flex-1 cursor-pointer rounded-md px-1 py-1.5 text-center text-[0.8125rem] font-medium whitespace-nowrap transition-colors sm:px-2.5 sm:text-sm has-focus-visible:outline-2 has-focus-visible:outline-offset-1 has-focus-visible:outline-accent ${
                  kind === k.kind ? "bg-white text-slate-900 shadow-sm" : "text-slate-600 hover:text-slate-900"
                }`}
              >
                <input
                  type="radio"
                  name={`${id}-kind`}
                  value={k.kind}
                  aria-label={k.label}
                  checked={kind === k.kind}
                  onChange={() => chooseKind(k.kind)}
                  className="absolute inset-0 cursor-pointer appearance-none rounded-md opacity-0"
                />
                {k.short ? (
                  <>
                    <span aria-hidden="true" className="sm:hidden">
                      {k.short}
                    </span>
                    <span aria-hidden="true" className="max-sm:hidden">
                      {k.label}
                    </span>
                  </>
                ) : (
                  <span aria-hidden="true">{k.label}</span>
                )}
              </label>
            ))}
          </div>
        </fieldset>

        {failure !== null && (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
            {errorMessage(failure)}
          </p>
        )}

        {kind === "task" ? (
          <>
            <TextField ref={firstFieldRef} label="Subject" required value={values.subject} onChange={(e) => set("subject", e.target.value)} error={errors.subject} placeholder="Call back about the pilot" />
            <Row>
              <TextField label="Due" type="date" value={values.due} onChange={(e) => set("due", e.target.value)} error={errors.due} />
              <ComboboxField label="Related to" error={errors.related}>
                <RecordCombobox
                  label="Related to"
                  hideLabel
                  value={values.related}
                  onChange={(o) => set("related", o as Values["related"])}
                  search={relatedOptions}
                  placeholder="Search a record…"
                  error={errors.related}
                />
              </ComboboxField>
            </Row>
          </>
        ) : (
          <>
            {coreInputs.map((f, i) => {
              const input = inputKind(f);
              if (input === "account")
                return (
                  <ComboboxField key={f.key} label={f.label} error={errors[f.key]}>
                    <RecordCombobox label={f.label} hideLabel value={values.account} onChange={(o) => set("account", o, f.key)} search={accountOptions} placeholder="Search accounts…" error={errors[f.key]} />
                  </ComboboxField>
                );
              if (input === "money")
                return (
                  <AmountField
                    key={f.key}
                    label={f.label}
                    amount={values.amount}
                    currency={values.currency}
                    onAmountChange={(a) => set("amount", a, f.key)}
                    onCurrencyChange={(c) => set("currency", c, f.key)}
                    error={errors[f.key]}
                  />
                );
              if (input === "stage")
                return (
                  <StageFields
                    key={f.key}
                    label={f.label}
                    pipelines={pipelines}
                    pipelineId={values.pipelineId}
                    stageId={values.stageId}
                    onPipeline={(pipelineId) => setValues((v) => ({ ...v, pipelineId, stageId: firstOpen(pipelines?.find((p) => p.id === pipelineId)) }))}
                    onStage={(stageId) => set("stageId", stageId, f.key)}
                    error={errors[f.key] ?? errors.pipelineId ?? (stagesError ? `Stages could not be loaded: ${errorMessage(stagesError)}` : undefined)}
                  />
                );
              return (
                <TextField
                  key={f.key}
                  ref={i === 0 ? firstFieldRef : undefined}
                  label={f.label}
                  type={INPUT_TYPE[f.type] ?? "text"}
                  required={f.required}
                  autoComplete="off"
                  value={values.text[f.key] ?? ""}
                  onChange={(e) => setText(f.key, e.target.value)}
                  error={errors[f.key]}
                  hint={HINT[`${kind}.${f.key}`] ?? f.helpText}
                  placeholder={PLACEHOLDER[`${kind}.${f.key}`]}
                />
              );
            })}
            <CustomFieldInputs
              fields={customInputs}
              values={customValues}
              errors={errors}
              users={users}
              onChange={(key, value) => {
                setCustomValues((v) => ({ ...v, [key]: value }));
                setErrors((e) => (e[`custom.${key}`] ? { ...e, [`custom.${key}`]: "" } : e));
              }}
            />
          </>
        )}
        <p className="text-xs text-slate-500">
          The new {kind === "task" ? "task appears on the record’s timeline" : `${label.toLowerCase()} opens when it is created`}.
        </p>
      </form>
    </Dialog>
  );
}

function Row({ children }: { children: ReactNode }) {
  return <div className="grid gap-4 sm:grid-cols-2">{children}</div>;
}

/** How a core field is entered: most as text (by type), references and money with their own widgets. */
function inputKind(f: FieldMeta): "text" | "account" | "money" | "stage" {
  if (f.type === "money") return "money";
  if (f.type === "record_link" && f.target === "stage") return "stage";
  if (f.type === "record_link" && f.target === "account") return "account";
  return "text";
}

/** A deal's stage, after its pipeline when the workspace has several (a stage belongs to one pipeline). */
function StageFields({ label, pipelines, pipelineId, stageId, onPipeline, onStage, error }: {
  label: string;
  pipelines: PipelineInfo[] | null;
  pipelineId: string;
  stageId: string;
  onPipeline: (id: string) => void;
  onStage: (id: string) => void;
  error?: string;
}) {
  const stages = pipelines?.find((p) => p.id === pipelineId)?.stages ?? null;
  return (
    <Row>
      {pipelines && pipelines.length > 1 && (
        <SelectField label="Pipeline" value={pipelineId} onChange={(e) => onPipeline(e.target.value)}>
          {pipelines.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </SelectField>
      )}
      <SelectField label={label} value={stageId} onChange={(e) => onStage(e.target.value)} error={error} disabled={!stages}>
        {!stages && <option value="">Loading…</option>}
        {stages?.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name} ({s.probability}%)
          </option>
        ))}
      </SelectField>
    </Row>
  );
}
