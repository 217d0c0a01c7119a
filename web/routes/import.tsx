import { useEffect, useRef } from "react";
import { Link, useSearchParams } from "react-router";
import { COMMON_CURRENCIES } from "../components/AmountField";
import { CheckIcon } from "../components/icons";
import { DropZone } from "../components/import/DropZone";
import { DuplicateChoice, DUPLICATE_MODES } from "../components/import/DuplicateChoice";
import { ErrorTable, MatchSummary, Summary } from "../components/import/ImportSummary";
import { MappingTable } from "../components/import/MappingTable";
import { ProgressBar } from "../components/import/ProgressBar";
import { Stepper } from "../components/import/Stepper";
import { ValueMapping } from "../components/import/ValueMapping";
import { PageHeader } from "../components/PageHeader";
import { Button, buttonClasses } from "../components/ui/Button";
import { SelectField } from "../components/ui/SelectField";
import { errorMessage } from "../lib/api";
import { hasRole, useCurrentUser } from "../lib/auth";
import { formatCount, pluralize } from "../lib/format";
import { FIELD_LABEL, IMPORT_FIELDS, type DateFormat, type DuplicateMode, type ImportEntity } from "../lib/import-mapping";
import { LEAD_STATUSES, useImportWizard } from "../lib/useImportWizard";

const ENTITIES: { id: ImportEntity; label: string; one: string }[] = [
  { id: "accounts", label: "Accounts", one: "account" },
  { id: "contacts", label: "Contacts", one: "contact" },
  { id: "leads", label: "Leads", one: "lead" },
  { id: "opportunities", label: "Opportunities", one: "opportunity" },
];

/**
 * /import — upload a CSV, map its columns (with suggestions), map stage values, check it with a dry run that
 * lists the bad rows, then import with a progress bar and a summary. `?entity=contacts` preselects the type.
 */
export default function ImportRoute() {
  const user = useCurrentUser();
  const [searchParams, setSearchParams] = useSearchParams();
  const entity = (ENTITIES.find((e) => e.id === searchParams.get("entity"))?.id ?? "accounts") as ImportEntity;
  const entityInfo = ENTITIES.find((e) => e.id === entity)!;
  const {
    customTargets, step, setStep, loaded, readError, mapping, setMapping, suggested, valueMaps, setValueMaps, dateFormat, setDateFormat, amountUnit, setAmountUnit,
    currency, setCurrency, createMissingAccounts, setCreateMissingAccounts, duplicates, setDuplicates, progress, running, failure, check, result,
    stages, readFile, stageColumn, statusColumn, stageValues, statusValues, problem, shown, run, reset, switchEntity,
  } = useImportWizard(entity);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Each step starts at its heading, for keyboard and screen-reader users.
  useEffect(() => headingRef.current?.focus({ preventScroll: false }), [step]);
  const canImport = hasRole(user, "USER");

  function setEntity(next: ImportEntity) {
    setSearchParams({ entity: next }, { replace: true });
    switchEntity(next);
  }

  if (!canImport) {
    return (
      <>
        <PageHeader title="Import" />
        <p className="mx-auto max-w-xl px-6 py-12 text-center text-sm text-slate-600">
          Importing creates and updates records, which your Viewer role does not allow. Ask an admin for the User role.
        </p>
      </>
    );
  }

  return (
    <>
      <PageHeader title={`Import ${entityInfo.label.toLowerCase()}`} description="Bring records in from a spreadsheet or another CRM as a CSV file." />
      <div className="mx-auto w-full max-w-5xl space-y-6 px-4 py-6 sm:px-6">
        <Stepper step={step} />

        {failure !== null && (
          <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
            {errorMessage(failure)}
          </div>
        )}

        {step === 0 && (
          <section aria-labelledby="import-step" className="space-y-5">
            <h2 id="import-step" ref={headingRef} tabIndex={-1} className="text-base font-semibold text-slate-900 outline-none">
              1. Choose what to import and the file
            </h2>
            <fieldset>
              <legend className="text-sm font-medium text-slate-700">Record type</legend>
              <div className="mt-2 flex flex-wrap gap-2">
                {ENTITIES.map((e) => (
                  <label
                    key={e.id}
                    className={`relative cursor-pointer rounded-md px-3 py-1.5 text-sm font-medium ring-1 has-focus-visible:outline-2 has-focus-visible:outline-offset-2 has-focus-visible:outline-accent ${
                      entity === e.id ? "bg-accent text-accent-foreground ring-transparent" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50"
                    }`}
                  >
                    <input type="radio" name="entity" value={e.id} checked={entity === e.id} onChange={() => setEntity(e.id)} className="absolute inset-0 cursor-pointer appearance-none opacity-0" />
                    {e.label}
                  </label>
                ))}
              </div>
            </fieldset>
            <DropZone onFile={(f) => void readFile(f)} />
            {readError && (
              <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
                {readError}
              </p>
            )}
            <p className="text-sm text-slate-500">
              The first row must name the columns. Fields you can fill: {IMPORT_FIELDS[entity].map((f) => FIELD_LABEL[f] ?? f).join(", ")}. Rows with an
              External ID update the record imported before instead of creating a duplicate.
            </p>
          </section>
        )}

        {step === 1 && loaded && (
          <section aria-labelledby="import-step" className="space-y-6">
            <div className="flex flex-wrap items-center gap-3">
              <h2 id="import-step" ref={headingRef} tabIndex={-1} className="text-base font-semibold text-slate-900 outline-none">
                2. Map the columns of {loaded.file.name}
              </h2>
              <span className="text-sm text-slate-500">
                {pluralize(loaded.parsed.rows.length, "row")}
                {loaded.sampled && " read for the preview (the whole file is imported)"}
                {loaded.parsed.delimiter !== "," && ` · ${loaded.parsed.delimiter === ";" ? "semicolon" : "tab"}-separated`}
              </span>
              <Button size="sm" variant="ghost" className="ml-auto" onClick={reset}>
                Choose another file
              </Button>
            </div>

            <MappingTable entity={entity} parsed={loaded.parsed} mapping={mapping} suggested={suggested} customTargets={customTargets} onChange={(header, field) => setMapping((m) => ({ ...m, [header]: field }))} />

            {stageColumn && (
              <ValueMapping
                title={`Stages: values of “${stageColumn}”`}
                description="Each value in the file becomes one of your pipeline stages. Values left unmapped must match a stage name exactly, or the row is reported."
                values={stageValues}
                targets={(stages.data ?? []).map((s) => ({ value: s.name, label: `${s.name} (${s.probability}%)` }))}
                map={valueMaps.stageName ?? {}}
                onChange={(from, to) => setValueMaps((m) => ({ ...m, stageName: { ...m.stageName, [from]: to } }))}
                loading={stages.status === "loading"}
              />
            )}
            {statusColumn && (
              <ValueMapping
                title={`Lead status: values of “${statusColumn}”`}
                description="Each value in the file becomes one of the lead statuses."
                values={statusValues}
                targets={LEAD_STATUSES.map((s) => ({ value: s, label: s.charAt(0).toUpperCase() + s.slice(1) }))}
                map={valueMaps.status ?? {}}
                onChange={(from, to) => setValueMaps((m) => ({ ...m, status: { ...m.status, [from]: to } }))}
              />
            )}

            <DuplicateChoice entity={entity} one={entityInfo.one} value={duplicates} onChange={setDuplicates} />

            {("dateFormat" in shown || "amountUnit" in shown || "currency" in shown || "createMissingAccounts" in shown) && (
              <fieldset className="rounded-lg border border-slate-200 bg-white p-4">
                <legend className="px-1 text-sm font-semibold text-slate-900">Options</legend>
                <div className="grid gap-4 sm:grid-cols-3">
                  {"dateFormat" in shown && (
                    <SelectField label="Dates in the file" value={dateFormat} onChange={(e) => setDateFormat(e.target.value as DateFormat)} hint="e.g. close dates">
                      <option value="YYYY-MM-DD">2026-03-31 (ISO)</option>
                      <option value="M/D/YYYY">3/31/2026 (month first)</option>
                      <option value="D/M/YYYY">31/3/2026 (day first)</option>
                    </SelectField>
                  )}
                  {"amountUnit" in shown && (
                    <SelectField label="Amounts in the file" value={amountUnit} onChange={(e) => setAmountUnit(e.target.value as "major" | "minor")} hint="Our own export uses cents">
                      <option value="major">Whole units (12,500.00)</option>
                      <option value="minor">Cents (1250000)</option>
                    </SelectField>
                  )}
                  {"currency" in shown && (
                    <SelectField label="Currency when a row has none" value={currency} onChange={(e) => setCurrency(e.target.value)}>
                      {COMMON_CURRENCIES.map((c) => (
                        <option key={c} value={c}>
                          {c}
                        </option>
                      ))}
                    </SelectField>
                  )}
                </div>
                {"createMissingAccounts" in shown && (
                  <label className="mt-4 flex items-start gap-2.5 text-sm text-slate-700">
                    <input type="checkbox" checked={createMissingAccounts} onChange={(e) => setCreateMissingAccounts(e.target.checked)} className="mt-0.5 size-4 accent-(--accent)" />
                    <span>
                      Create an account for each company name that matches none
                      <span className="block text-xs text-slate-500">Off: rows naming an unknown account are reported instead.</span>
                    </span>
                  </label>
                )}
              </fieldset>
            )}

            <div className="flex flex-wrap items-center gap-3">
              {problem && (
                <p role="alert" className="text-sm font-medium text-red-700">
                  {problem}
                </p>
              )}
              <div className="ml-auto flex items-center gap-3">
                {running === "dry" && <ProgressBar progress={progress} label="Checking the file" />}
                <Button variant="primary" disabled={!!problem} loading={running === "dry"} onClick={() => void run(true)}>
                  Check the file
                </Button>
              </div>
            </div>
          </section>
        )}

        {step === 2 && check && loaded && (
          <section aria-labelledby="import-step" className="space-y-5">
            <h2 id="import-step" ref={headingRef} tabIndex={-1} className="text-base font-semibold text-slate-900 outline-none">
              3. Check: nothing has been written yet
            </h2>
            <Summary result={check} entity={entityInfo} dryRun />
            <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
              <div className="min-w-0 flex-1">
                <MatchSummary result={check} entity={entityInfo} dryRun />
              </div>
              <SelectField
                label="Rows matching existing records"
                value={duplicates}
                disabled={running !== null}
                className="sm:w-64"
                onChange={(e) => {
                  // The counts depend on the choice: check again with it.
                  const mode = e.target.value as DuplicateMode;
                  setDuplicates(mode);
                  void run(true, mode);
                }}
              >
                {DUPLICATE_MODES.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.label}
                  </option>
                ))}
              </SelectField>
            </div>
            {check.errors.length > 0 && <ErrorTable result={check} />}
            <div className="flex flex-wrap items-center gap-3">
              <Button onClick={() => setStep(1)} disabled={running !== null}>
                Back to mapping
              </Button>
              <div className="ml-auto flex flex-wrap items-center gap-3">
                {running === "real" && <ProgressBar progress={progress} label="Importing" />}
                <Button
                  variant="primary"
                  loading={running === "real"}
                  disabled={check.created + check.updated + check.unchanged === 0}
                  onClick={() => void run(false)}
                >
                  {check.errors.length
                    ? `Import ${pluralize(check.created + check.updated + check.unchanged, "valid row")}, skip ${formatCount(check.skipped + check.duplicatesSkipped)}`
                    : check.duplicatesSkipped
                      ? `Import ${pluralize(check.created + check.updated + check.unchanged, "row")}, skip ${formatCount(check.duplicatesSkipped)} matching`
                      : `Import ${pluralize(check.rows, "row")}`}
                </Button>
              </div>
            </div>
          </section>
        )}

        {step === 3 && result && (
          <section aria-labelledby="import-step" className="space-y-5">
            <h2 id="import-step" ref={headingRef} tabIndex={-1} className="flex items-center gap-2 text-base font-semibold text-slate-900 outline-none">
              <span className="inline-flex size-6 items-center justify-center rounded-full bg-emerald-100 text-emerald-700">
                <CheckIcon className="size-4" />
              </span>
              Import finished
            </h2>
            <Summary result={result} entity={entityInfo} />
            <MatchSummary result={result} entity={entityInfo} />
            {result.errors.length > 0 && <ErrorTable result={result} />}
            <div className="flex flex-wrap gap-3">
              <Link to={`/${entity}`} className={buttonClasses("primary")}>
                View {entityInfo.label.toLowerCase()}
              </Link>
              <Button onClick={reset}>Import another file</Button>
            </div>
          </section>
        )}
      </div>
    </>
  );
}
