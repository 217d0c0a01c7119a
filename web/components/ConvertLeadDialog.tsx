import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Link, useNavigate } from "react-router";
import { ApiError, errorMessage } from "../lib/api";
import { useCurrentUser } from "../lib/auth";
import { currencyFractionDigits } from "../lib/format";
import { convertLead, dateInDays, getStages, parseMajorAmount, type ConfiguredStage, type LeadConversion, type LeadConvertInput } from "../lib/quick-create";
import { searchAccounts, type Lead } from "../lib/records";
import { recordPath, rememberRecent } from "../lib/search";
import { AmountField, preferredCurrency } from "./AmountField";
import { ComboboxField } from "./ComboboxField";
import { RecordCombobox, type RecordOption } from "./RecordCombobox";
import { Button } from "./ui/Button";
import { Dialog } from "./ui/Dialog";
import { SelectField } from "./ui/SelectField";
import { TextField } from "./ui/TextField";
import { useToast } from "./ui/Toast";

export interface ConvertLeadDialogProps {
  /** The lead as the API returns it; only `id` is required, the rest prefills the form. */
  lead: Pick<Lead, "id"> & Partial<Lead>;
  /** No argument: cancelled. With the conversion: done (the dialog has already navigated to the new deal). */
  onDone: (result?: LeadConversion) => void;
}

type AccountChoice = "new" | "existing";

const accountOptions = async (q: string, signal: AbortSignal): Promise<RecordOption[]> =>
  (await searchAccounts(q, { signal })).map((a) => ({ id: a.id, name: a.name, hint: a.domain ?? a.industry }));

/**
 * Lead conversion: pick an existing account (typeahead) or create one named after the lead's company, the
 * contact (prefilled from the lead), the opportunity (name, amount, currency, close date, stage) and the
 * follow-up task. One POST converts everything or nothing; on success the new opportunity's page opens.
 */
export function ConvertLeadDialog({ lead, onDone }: ConvertLeadDialogProps) {
  const user = useCurrentUser();
  const navigate = useNavigate();
  const toast = useToast();
  const id = useId();
  const company = lead.company?.trim() ?? "";
  const personName = lead.name?.trim() || [lead.firstName, lead.lastName].filter(Boolean).join(" ") || lead.email || "";

  const [choice, setChoice] = useState<AccountChoice>("new");
  const [accountName, setAccountName] = useState(company || personName);
  const [existing, setExisting] = useState<RecordOption | null>(null);
  const [matchHint, setMatchHint] = useState<RecordOption | null>(null);
  const [firstName, setFirstName] = useState(lead.firstName ?? "");
  const [lastName, setLastName] = useState(lead.lastName ?? (lead.firstName ? "" : (lead.name ?? "")));
  const [email, setEmail] = useState(lead.email ?? "");
  const [phone, setPhone] = useState(lead.phone ?? "");
  const [title, setTitle] = useState(lead.title ?? "");
  const [dealName, setDealName] = useState(`${company || personName || "New"} deal`);
  const [amount, setAmount] = useState("");
  const [currency, setCurrency] = useState(preferredCurrency);
  const [closeDate, setCloseDate] = useState(dateInDays(30));
  const [stageId, setStageId] = useState("");
  const [stages, setStages] = useState<ConfiguredStage[] | null>(null);
  const [stagesError, setStagesError] = useState<unknown>(null);
  const [taskSubject, setTaskSubject] = useState(`Follow up with ${personName || "the new contact"}`);
  const [dueInDays, setDueInDays] = useState("3");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const firstRef = useRef<HTMLInputElement>(null);

  // Stages, and an account that already carries the lead's company name, load together when the dialog opens.
  useEffect(() => {
    const controller = new AbortController();
    getStages({ signal: controller.signal }).then(
      (list) => {
        setStages(list);
        setStageId((s) => s || (list.find((x) => x.kind === "open")?.id ?? list[0]?.id ?? ""));
      },
      (err: unknown) => !controller.signal.aborted && setStagesError(err),
    );
    if (company) {
      accountOptions(company, controller.signal).then(
        (found) => {
          const same = found.find((a) => a.name.trim().toLowerCase() === company.toLowerCase());
          if (same) {
            setMatchHint(same);
            setChoice("existing");
            setExisting(same);
          }
        },
        () => {},
      );
    }
    return () => controller.abort();
  }, [company]);

  const fractionDigits = useMemo(() => currencyFractionDigits(currency), [currency]);

  function validate(): Record<string, string> {
    const e: Record<string, string> = {};
    if (choice === "existing" && !existing) e["account.id"] = "Choose the account, or create a new one";
    if (choice === "new" && !accountName.trim()) e["account.name"] = "Name the new account";
    if (!firstName.trim() && !lastName.trim() && !email.trim()) e["contact.name"] = "The contact needs a name or an e-mail";
    if (!dealName.trim()) e["opportunity.name"] = "Name the opportunity";
    const minor = parseMajorAmount(amount, fractionDigits);
    if (Number.isNaN(minor)) e["opportunity.amount"] = "Enter a number, e.g. 12500 or 12,500.00";
    const days = Number(dueInDays);
    if (dueInDays.trim() !== "" && (!Number.isInteger(days) || days < 0 || days > 3650)) e["task.dueInDays"] = "Whole days from today, 0–3650";
    return e;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    const problems = validate();
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setPending(true);
    setFailure(null);
    const minor = parseMajorAmount(amount, fractionDigits);
    const body: LeadConvertInput = {
      account: choice === "existing" ? { id: existing!.id } : { name: accountName.trim() },
      contact: {
        firstName: firstName.trim() || null,
        lastName: lastName.trim() || null,
        email: email.trim() || null,
        phone: phone.trim() || null,
        title: title.trim() || null,
      },
      opportunity: {
        name: dealName.trim(),
        ...(minor !== null && { amount: minor }),
        currency,
        closeDate: closeDate || null,
        ...(stageId && { stageId }),
      },
      task: {
        ...(taskSubject.trim() && { subject: taskSubject.trim() }),
        ...(dueInDays.trim() !== "" && { dueInDays: Number(dueInDays) }),
      },
    };
    try {
      const result = await convertLead(lead.id, body);
      rememberRecent(user.id, { id: result.opportunity.id, type: "opportunity", title: result.opportunity.name, subtitle: result.account.name });
      toast.success(`${personName || "The lead"} converted: ${result.opportunity.name} is in the pipeline`);
      navigate(recordPath("opportunity", result.opportunity.id));
      onDone(result);
    } catch (err) {
      setPending(false);
      if (err instanceof ApiError && err.status === 422 && err.errors?.length) {
        const mapped: Record<string, string> = {};
        for (const fe of err.errors) mapped[fe.path] ??= `${fe.path.split(".").at(-1)} ${fe.message}`;
        setErrors(mapped);
        const known = ["account.id", "account.name", "contact.name", "contact.firstName", "contact.lastName", "contact.email", "contact.phone", "contact.title", "opportunity.name", "opportunity.amount", "opportunity.currency", "opportunity.closeDate", "opportunity.stageId", "task.subject", "task.dueInDays"];
        if (Object.keys(mapped).some((k) => !known.includes(k))) setFailure(err);
      } else {
        setFailure(err);
      }
    }
  }

  const converted = failure instanceof ApiError && failure.status === 409 ? (failure.extensions.current as Partial<Lead> | undefined) : undefined;
  const formId = `${id}-form`;
  return (
    <Dialog
      title={`Convert ${personName || "lead"}`}
      description="Creates the contact and an opportunity on an account, plus a follow-up task, in one step."
      size="lg"
      onClose={() => onDone()}
      busy={pending}
      initialFocus={firstRef}
      footer={
        <>
          <Button onClick={() => onDone()} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} variant="primary" loading={pending} disabled={!!converted}>
            Convert lead
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate className="space-y-6">
        {failure !== null && (
          <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
            {failure instanceof ApiError && failure.status === 409 ? (
              <>
                This lead was already converted{converted?.convertedAt ? ` on ${new Date(converted.convertedAt).toLocaleDateString()}` : ""}.{" "}
                {converted?.convertedOpportunityId && (
                  <Link className="font-medium underline" to={recordPath("opportunity", converted.convertedOpportunityId)} onClick={() => onDone()}>
                    Open its opportunity
                  </Link>
                )}
              </>
            ) : (
              errorMessage(failure)
            )}
          </div>
        )}

        <Section title="Account">
          <div role="radiogroup" aria-label="Account" className="flex flex-wrap gap-x-5 gap-y-2 text-sm">
            <label className="flex items-center gap-2">
              <input type="radio" name={`${id}-account`} checked={choice === "new"} onChange={() => setChoice("new")} className="size-4 accent-(--accent)" />
              Create a new account
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name={`${id}-account`} checked={choice === "existing"} onChange={() => setChoice("existing")} className="size-4 accent-(--accent)" />
              Add to an existing account
            </label>
          </div>
          {choice === "new" ? (
            <TextField ref={firstRef} label="Account name" value={accountName} onChange={(e) => setAccountName(e.target.value)} error={errors["account.name"]} />
          ) : (
            <ComboboxField label="Existing account" error={errors["account.id"]}>
              <RecordCombobox label="Existing account" hideLabel value={existing} onChange={setExisting} search={accountOptions} placeholder="Search accounts…" error={errors["account.id"]} />
            </ComboboxField>
          )}
          {matchHint && choice === "existing" && existing?.id === matchHint.id && (
            <p className="text-xs text-slate-500">An account named “{matchHint.name}” already exists, so the lead is added to it. Choose “Create a new account” for a separate one.</p>
          )}
        </Section>

        <Section title="Contact">
          <Grid>
            <TextField label="First name" value={firstName} onChange={(e) => setFirstName(e.target.value)} error={errors["contact.firstName"] ?? errors["contact.name"]} />
            <TextField label="Last name" value={lastName} onChange={(e) => setLastName(e.target.value)} error={errors["contact.lastName"]} />
            <TextField label="Email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} error={errors["contact.email"]} />
            <TextField label="Phone" type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} error={errors["contact.phone"]} />
            <TextField label="Job title" value={title} onChange={(e) => setTitle(e.target.value)} error={errors["contact.title"]} className="sm:col-span-2" />
          </Grid>
        </Section>

        <Section title="Opportunity">
          <TextField label="Opportunity name" value={dealName} onChange={(e) => setDealName(e.target.value)} error={errors["opportunity.name"]} />
          <Grid>
            <AmountField amount={amount} currency={currency} onAmountChange={setAmount} onCurrencyChange={setCurrency} error={errors["opportunity.amount"] ?? errors["opportunity.currency"]} />
            <TextField label="Close date" type="date" value={closeDate} onChange={(e) => setCloseDate(e.target.value)} error={errors["opportunity.closeDate"]} />
            <SelectField
              label="Stage"
              value={stageId}
              onChange={(e) => setStageId(e.target.value)}
              disabled={!stages}
              error={errors["opportunity.stageId"] ?? (stagesError ? `Stages could not be loaded: ${errorMessage(stagesError)}` : undefined)}
              className="sm:col-span-2"
            >
              {!stages && <option value="">Loading…</option>}
              {stages
                ?.filter((s) => s.kind === "open")
                .map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name} ({s.probability}%)
                  </option>
                ))}
            </SelectField>
          </Grid>
        </Section>

        <Section title="Follow-up task">
          <Grid>
            <TextField label="Subject" value={taskSubject} onChange={(e) => setTaskSubject(e.target.value)} error={errors["task.subject"]} />
            <TextField
              label="Due in (days)"
              type="number"
              inputMode="numeric"
              min={0}
              max={3650}
              value={dueInDays}
              onChange={(e) => setDueInDays(e.target.value)}
              error={errors["task.dueInDays"]}
              hint={dueInDays.trim() !== "" && Number.isInteger(Number(dueInDays)) ? `Due ${new Date(dateInDays(Number(dueInDays)) + "T12:00:00").toLocaleDateString(undefined, { weekday: "short", month: "short", day: "numeric" })}` : undefined}
            />
          </Grid>
        </Section>
      </form>
    </Dialog>
  );
}

export default ConvertLeadDialog;

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="space-y-3 border-t border-slate-100 pt-5 first-of-type:border-t-0 first-of-type:pt-0">
      <legend className="mb-1 text-sm font-semibold text-slate-900">{title}</legend>
      {children}
    </fieldset>
  );
}

function Grid({ children }: { children: ReactNode }) {
  return <div className="grid gap-4 sm:grid-cols-2">{children}</div>;
}
