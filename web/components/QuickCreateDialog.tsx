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
import { customFieldsOf, useMeta } from "../lib/meta";
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

interface Values {
  name: string;
  domain: string;
  email: string;
  company: string;
  account: RecordOption | null;
  amount: string;
  currency: string;
  closeDate: string;
  pipelineId: string;
  stageId: string;
  subject: string;
  due: string;
  related: (RecordOption & { type: SearchType }) | null;
}

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
    name: "",
    domain: "",
    email: "",
    company: "",
    account: preset?.account ?? null,
    amount: "",
    currency: preferredCurrency(),
    closeDate: dateInDays(30),
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
  const customInputs = kind === "task" ? [] : customFieldsOf(meta, kind).filter((f) => f.showInQuickCreate);
  const [customValues, setCustomValues] = useState<CustomInputValues>({});

  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((e) => (e[key] ? { ...e, [key]: "" } : e));
  };

  // Pipelines and their stages are only needed for opportunities; fetched once. Preselected: the pipeline the board
  // last showed (else the default) and its first open stage.
  useEffect(() => {
    if (kind !== "opportunity" || pipelines) return;
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
  }, [kind, pipelines]);
  const stages = pipelines?.find((p) => p.id === values.pipelineId)?.stages ?? null;

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
    } else if (!values.name.trim() && !(kind !== "account" && kind !== "opportunity" && values.email.trim())) {
      e.name = kind === "contact" || kind === "lead" ? "Enter a name or an e-mail" : "Enter a name";
    }
    if (kind === "opportunity") {
      const amount = parseMoneyInput(values.amount, values.currency);
      if (!amount.ok) e.amount = amount.error;
    }
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
      const name = v.name.trim();
      const parsedCustom = parseCustomInputs(customInputs, customValues, v.currency).custom;
      const custom = Object.keys(parsedCustom).length ? { custom: parsedCustom } : {};
      let path: string;
      let message: string;
      if (kind === "account") {
        const rec = await createRecord("accounts", { name, domain: v.domain.trim() || undefined, ...custom });
        rememberRecent(user.id, { id: rec.id, type: "account", title: rec.name, subtitle: rec.domain });
        path = recordPath("account", rec.id);
        message = `Account “${rec.name}” created`;
      } else if (kind === "contact") {
        const rec = await createRecord("contacts", { name: name || undefined, email: v.email.trim() || undefined, accountId: v.account?.id, ...custom });
        rememberRecent(user.id, { id: rec.id, type: "contact", title: rec.name, subtitle: v.account?.name ?? rec.email });
        path = recordPath("contact", rec.id);
        message = `Contact “${rec.name}” created`;
      } else if (kind === "lead") {
        const rec = await createRecord("leads", { name: name || undefined, email: v.email.trim() || undefined, company: v.company.trim() || undefined, ...custom });
        rememberRecent(user.id, { id: rec.id, type: "lead", title: rec.name, subtitle: rec.company });
        path = recordPath("lead", rec.id);
        message = `Lead “${rec.name}” created`;
      } else if (kind === "opportunity") {
        const parsed = parseMoneyInput(v.amount, v.currency);
        const amount = parsed.ok ? parsed.minor : null;
        const rec = await createRecord("opportunities", {
          name,
          accountId: v.account?.id,
          amount: amount ?? undefined,
          currency: v.currency,
          closeDate: v.closeDate || undefined,
          pipelineId: v.pipelineId || undefined,
          stageId: v.stageId || undefined,
          ...custom,
        });
        rememberRecent(user.id, { id: rec.id, type: "opportunity", title: rec.name, subtitle: v.account?.name ?? null });
        path = recordPath("opportunity", rec.id);
        message = `Opportunity “${rec.name}” created`;
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
          const key =
            path === "accountId" ? "account" : path === "dueAt" ? "due" : /^(accountId|contactId|leadId|opportunityId)$/.test(path) ? "related" : path;
          mapped[key] = `${msg.charAt(0).toUpperCase()}${msg.slice(1)}`;
        }
        setErrors(mapped);
        // Problems on fields this form does not show still need saying.
        const shown = new Set(["name", "domain", "email", "company", "account", "amount", "currency", "closeDate", "pipelineId", "stageId", "subject", "due", "related"]);
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
            <TextField
              ref={firstFieldRef}
              label={kind === "contact" || kind === "lead" ? "Full name" : "Name"}
              required={kind === "account" || kind === "opportunity"}
              autoComplete="off"
              value={values.name}
              onChange={(e) => set("name", e.target.value)}
              error={errors.name}
              placeholder={kind === "account" ? "Acme Inc." : kind === "opportunity" ? "Acme — annual licence" : "Ada Lovelace"}
            />
            {kind === "account" && (
              <TextField label="Domain" hint="Optional, e.g. acme.com" value={values.domain} onChange={(e) => set("domain", e.target.value)} error={errors.domain} />
            )}
            {(kind === "contact" || kind === "lead") && (
              <TextField label="Email" type="email" inputMode="email" autoComplete="off" value={values.email} onChange={(e) => set("email", e.target.value)} error={errors.email} />
            )}
            {kind === "lead" && <TextField label="Company" value={values.company} onChange={(e) => set("company", e.target.value)} error={errors.company} />}
            {(kind === "contact" || kind === "opportunity") && (
              <ComboboxField label="Account" error={errors.account}>
                <RecordCombobox label="Account" hideLabel value={values.account} onChange={(o) => set("account", o)} search={accountOptions} placeholder="Search accounts…" error={errors.account} />
              </ComboboxField>
            )}
            {kind === "opportunity" && (
              <>
                <AmountField
                  amount={values.amount}
                  currency={values.currency}
                  onAmountChange={(a) => set("amount", a)}
                  onCurrencyChange={(c) => set("currency", c)}
                  error={errors.amount ?? errors.currency}
                />
                {pipelines && pipelines.length > 1 && (
                  <SelectField
                    label="Pipeline"
                    value={values.pipelineId}
                    onChange={(e) => {
                      const next = pipelines.find((p) => p.id === e.target.value);
                      setValues((v) => ({ ...v, pipelineId: e.target.value, stageId: firstOpen(next) }));
                    }}
                    error={errors.pipelineId}
                  >
                    {pipelines.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name}
                      </option>
                    ))}
                  </SelectField>
                )}
                <Row>
                  <TextField label="Close date" type="date" value={values.closeDate} onChange={(e) => set("closeDate", e.target.value)} error={errors.closeDate} />
                  <SelectField
                    label="Stage"
                    value={values.stageId}
                    onChange={(e) => set("stageId", e.target.value)}
                    error={errors.stageId ?? (stagesError ? `Stages could not be loaded: ${errorMessage(stagesError)}` : undefined)}
                    disabled={!stages}
                  >
                    {!stages && <option value="">Loading…</option>}
                    {stages?.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name} ({s.probability}%)
                      </option>
                    ))}
                  </SelectField>
                </Row>
              </>
            )}
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
