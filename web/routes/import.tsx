import { useEffect, useId, useMemo, useRef, useState, type DragEvent, type ReactNode } from "react";
import { Link, useSearchParams } from "react-router";
import { CheckIcon, UploadIcon } from "../components/icons";
import { PageHeader } from "../components/PageHeader";
import { Badge } from "../components/ui/Badge";
import { Button, buttonClasses } from "../components/ui/Button";
import { SelectField } from "../components/ui/SelectField";
import { COMMON_CURRENCIES, preferredCurrency } from "../components/AmountField";
import { errorMessage, isAbortError } from "../lib/api";
import { hasRole, useCurrentUser } from "../lib/auth";
import { parseCsv, toCsv, type ParsedCsv } from "../lib/csv";
import { formatCount, pluralize } from "../lib/format";
import { runImport, type ImportOptionsInput, type ImportProgress, type ImportResult } from "../lib/import-api";
import {
  detectAmountUnit,
  detectDateFormat,
  FIELD_LABEL,
  IMPORT_FIELDS,
  mappingProblem,
  normalise,
  suggestMapping,
  suggestStage,
  type DateFormat,
  type ImportEntity,
} from "../lib/import-mapping";
import { getStages, type ConfiguredStage } from "../lib/quick-create";
import { useResource } from "../lib/useResource";

const ENTITIES: { id: ImportEntity; label: string; one: string }[] = [
  { id: "accounts", label: "Accounts", one: "account" },
  { id: "contacts", label: "Contacts", one: "contact" },
  { id: "leads", label: "Leads", one: "lead" },
  { id: "opportunities", label: "Opportunities", one: "opportunity" },
];
const LEAD_STATUSES = ["new", "contacted", "qualified", "unqualified"] as const;
const STEPS = ["Upload", "Map columns", "Check", "Import"] as const;
/** The preview reads at most this much of a huge file; the server reads all of it. */
const PARSE_LIMIT = 8 * 1024 * 1024;
const DISTINCT_LIMIT = 50;

interface Loaded {
  file: File;
  /** What is uploaded: the file itself, or a comma-separated copy when it used semicolons or tabs. */
  upload: Blob;
  parsed: ParsedCsv;
  /** Only the first PARSE_LIMIT bytes were read. */
  sampled: boolean;
}

type Step = 0 | 1 | 2 | 3;

/**
 * /import — upload a CSV, map its columns (with suggestions), map stage values, check it with a dry run that
 * lists the bad rows, then import with a progress bar and a summary. `?entity=contacts` preselects the type.
 */
export default function ImportRoute() {
  const user = useCurrentUser();
  const [searchParams, setSearchParams] = useSearchParams();
  const entity = (ENTITIES.find((e) => e.id === searchParams.get("entity"))?.id ?? "accounts") as ImportEntity;
  const entityInfo = ENTITIES.find((e) => e.id === entity)!;
  const [step, setStep] = useState<Step>(0);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [suggested, setSuggested] = useState<Record<string, string>>({});
  const [valueMaps, setValueMaps] = useState<Record<string, Record<string, string>>>({});
  const [dateFormat, setDateFormat] = useState<DateFormat>("YYYY-MM-DD");
  const [amountUnit, setAmountUnit] = useState<"major" | "minor">("major");
  const [currency, setCurrency] = useState(preferredCurrency);
  const [createMissingAccounts, setCreateMissingAccounts] = useState(true);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [running, setRunning] = useState<"dry" | "real" | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [check, setCheck] = useState<ImportResult | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const abortRef = useRef<() => void>(undefined);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const stages = useResource(entity === "opportunities" ? "import:stages" : "import:none", (signal) =>
    entity === "opportunities" ? getStages({ signal }) : Promise.resolve([] as ConfiguredStage[]),
  );

  useEffect(() => () => abortRef.current?.(), []);
  // Each step starts at its heading, for keyboard and screen-reader users.
  useEffect(() => headingRef.current?.focus({ preventScroll: false }), [step]);

  const canImport = hasRole(user, "USER");

  function setEntity(next: ImportEntity) {
    setSearchParams({ entity: next }, { replace: true });
    if (loaded) applySuggestions(next, loaded.parsed);
  }

  function applySuggestions(forEntity: ImportEntity, parsed: ParsedCsv) {
    const guess = suggestMapping(forEntity, parsed.header);
    setMapping(guess);
    setSuggested(guess);
    setValueMaps({});
    const column = (field: string) => {
      const header = Object.keys(guess).find((h) => guess[h] === field);
      const index = header ? parsed.header.indexOf(header) : -1;
      return index < 0 ? [] : parsed.rows.slice(0, 500).map((r) => r[index] ?? "");
    };
    setDateFormat(detectDateFormat(column("closeDate")).format);
    setAmountUnit(detectAmountUnit(parsed.header, column("amount").concat(column("annualRevenue"))));
  }

  async function readFile(file: File) {
    setReadError(null);
    setCheck(null);
    setResult(null);
    setFailure(null);
    if (!/\.(csv|txt|tsv)$/i.test(file.name) && !/csv|text\/plain|tab-separated/.test(file.type)) {
      setReadError(`“${file.name}” is not a CSV file. Export the sheet as CSV (comma-separated values) and upload that.`);
      return;
    }
    const sampled = file.size > PARSE_LIMIT;
    let text = await (sampled ? file.slice(0, PARSE_LIMIT) : file).text();
    if (sampled) text = text.slice(0, Math.max(text.lastIndexOf("\n"), 0));
    if (text.includes("\uFFFD") && !sampled) {
      setReadError("The file is not UTF-8 text. In your spreadsheet, export as “CSV UTF-8” and upload again.");
      return;
    }
    const parsed = parseCsv(text);
    if (parsed.header.length === 0 || parsed.header.every((h) => !h)) {
      setReadError("The file is empty: it needs a header row with column names and at least one row of data.");
      return;
    }
    if (parsed.rows.length === 0) {
      setReadError("The file has a header row but no data rows.");
      return;
    }
    if (parsed.unterminated && !sampled) {
      setReadError("A quoted value is never closed, so the rest of the file cannot be read. Check the file in a spreadsheet and export it again.");
      return;
    }
    const upload = parsed.delimiter === "," || sampled ? file : new Blob([toCsv(parsed.header, parsed.rows)], { type: "text/csv" });
    setLoaded({ file, upload, parsed, sampled });
    applySuggestions(entity, parsed);
    setStep(1);
  }

  const mapped = (field: string) => Object.keys(mapping).find((h) => mapping[h] === field);
  const columnValues = (header: string | undefined) => {
    if (!header || !loaded) return [];
    const i = loaded.parsed.header.indexOf(header);
    return loaded.parsed.rows.map((r) => (r[i] ?? "").trim());
  };
  const distinct = (header: string | undefined) => {
    const counts = new Map<string, number>();
    for (const v of columnValues(header)) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, DISTINCT_LIMIT);
  };

  const stageColumn = entity === "opportunities" ? mapped("stageName") : undefined;
  const statusColumn = entity === "leads" ? mapped("status") : undefined;
  const stageValues = useMemo(() => distinct(stageColumn), [stageColumn, loaded]); // eslint-disable-line react-hooks/exhaustive-deps
  const statusValues = useMemo(() => distinct(statusColumn), [statusColumn, loaded]); // eslint-disable-line react-hooks/exhaustive-deps

  // Suggested value mappings for the stage and status columns (kept when the user already chose).
  useEffect(() => {
    if (!stageValues.length || !stages.data?.length) return;
    setValueMaps((maps) => {
      const current = maps.stageName ?? {};
      const next = { ...current };
      for (const [v] of stageValues) if (!(v in next)) next[v] = suggestStage(v, stages.data!);
      return { ...maps, stageName: next };
    });
  }, [stageValues, stages.data]);
  useEffect(() => {
    if (!statusValues.length) return;
    setValueMaps((maps) => {
      const next = { ...(maps.status ?? {}) };
      for (const [v] of statusValues) if (!(v in next)) next[v] = LEAD_STATUSES.find((s) => normalise(s) === normalise(v)) ?? "";
      return { ...maps, status: next };
    });
  }, [statusValues]);

  const problem = loaded ? mappingProblem(entity, mapping) : null;

  function options(dryRun: boolean): ImportOptionsInput {
    const valueMap: Record<string, Record<string, string>> = {};
    for (const [field, map] of Object.entries(valueMaps)) {
      if ((field === "stageName" && !stageColumn) || (field === "status" && !statusColumn)) continue;
      const entries = Object.entries(map).filter(([from, to]) => to && to !== from);
      if (entries.length) valueMap[field] = Object.fromEntries(entries);
    }
    return {
      dryRun,
      dateFormat,
      amountUnit,
      currency,
      createMissingAccounts: !!mapped("accountName") && createMissingAccounts,
      valueMap,
    };
  }

  async function run(dryRun: boolean) {
    if (!loaded || problem) return;
    setRunning(dryRun ? "dry" : "real");
    setFailure(null);
    const body = Object.fromEntries(Object.entries(mapping).map(([h, f]) => [h, f || null]));
    const handle = runImport(entity, loaded.upload, loaded.file.name.replace(/\.(tsv|txt)$/i, ".csv"), body, options(dryRun), setProgress);
    abortRef.current = handle.abort;
    try {
      const answer = await handle.promise;
      if (dryRun) {
        setCheck(answer);
        setStep(2);
      } else {
        setResult(answer);
        setStep(3);
      }
    } catch (err) {
      if (!isAbortError(err)) setFailure(err);
    } finally {
      setRunning(null);
      setProgress(null);
      abortRef.current = undefined;
    }
  }

  function reset() {
    setLoaded(null);
    setCheck(null);
    setResult(null);
    setFailure(null);
    setStep(0);
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

            <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
              <table className="w-full min-w-[40rem] text-left text-sm">
                <caption className="sr-only">Columns of the file and the field each one fills</caption>
                <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium text-slate-600">
                  <tr>
                    <th scope="col" className="px-4 py-2.5">Column in the file</th>
                    <th scope="col" className="px-4 py-2.5">Sample values</th>
                    <th scope="col" className="w-[21rem] px-4 py-2.5">Import as</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {loaded.parsed.header.map((header, index) => {
                    const samples = loaded.parsed.rows.slice(0, 3).map((r) => r[index] ?? "").filter((v) => v.trim());
                    const value = mapping[header] ?? "";
                    const used = new Set(Object.entries(mapping).filter(([h, f]) => h !== header && f).map(([, f]) => f));
                    return (
                      <tr key={`${header}-${index}`}>
                        <th scope="row" className="px-4 py-2.5 font-medium text-slate-900">
                          {header || <span className="text-slate-500 italic">(no name)</span>}
                        </th>
                        <td className="max-w-72 px-4 py-2.5 text-slate-600">
                          <span className="line-clamp-2 break-words">{samples.length ? samples.join(" · ") : <span className="text-slate-500">empty</span>}</span>
                        </td>
                        <td className="px-4 py-2">
                          <div className="flex items-center gap-2">
                            <SelectField
                              label={`Import column “${header}” as`}
                              hideLabel
                              value={value}
                              onChange={(e) => setMapping((m) => ({ ...m, [header]: e.target.value }))}
                              className="min-w-0 flex-1"
                            >
                              <option value="">Don’t import</option>
                              {IMPORT_FIELDS[entity].map((f) => (
                                <option key={f} value={f} disabled={used.has(f)}>
                                  {FIELD_LABEL[f] ?? f}
                                  {used.has(f) ? " (mapped)" : ""}
                                </option>
                              ))}
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

            <fieldset className="rounded-lg border border-slate-200 bg-white p-4">
              <legend className="px-1 text-sm font-semibold text-slate-900">Options</legend>
              <div className="grid gap-4 sm:grid-cols-3">
                <SelectField label="Dates in the file" value={dateFormat} onChange={(e) => setDateFormat(e.target.value as DateFormat)} hint="e.g. close dates">
                  <option value="YYYY-MM-DD">2026-03-31 (ISO)</option>
                  <option value="M/D/YYYY">3/31/2026 (month first)</option>
                  <option value="D/M/YYYY">31/3/2026 (day first)</option>
                </SelectField>
                <SelectField label="Amounts in the file" value={amountUnit} onChange={(e) => setAmountUnit(e.target.value as "major" | "minor")} hint="Our own export uses cents">
                  <option value="major">Whole units (12,500.00)</option>
                  <option value="minor">Cents (1250000)</option>
                </SelectField>
                <SelectField label="Currency when a row has none" value={currency} onChange={(e) => setCurrency(e.target.value)}>
                  {COMMON_CURRENCIES.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </SelectField>
              </div>
              {mapped("accountName") && (
                <label className="mt-4 flex items-start gap-2.5 text-sm text-slate-700">
                  <input type="checkbox" checked={createMissingAccounts} onChange={(e) => setCreateMissingAccounts(e.target.checked)} className="mt-0.5 size-4 accent-(--accent)" />
                  <span>
                    Create an account for each company name that matches none
                    <span className="block text-xs text-slate-500">Off: rows naming an unknown account are reported instead.</span>
                  </span>
                </label>
              )}
            </fieldset>

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
                    ? `Import ${pluralize(check.created + check.updated + check.unchanged, "valid row")}, skip ${formatCount(check.skipped)}`
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

function Stepper({ step }: { step: Step }) {
  return (
    <ol className="flex flex-wrap gap-x-6 gap-y-2 text-sm" aria-label="Import steps">
      {STEPS.map((label, i) => (
        <li key={label} aria-current={i === step ? "step" : undefined} className="flex items-center gap-2">
          <span
            className={`inline-flex size-6 items-center justify-center rounded-full text-xs font-semibold ${
              i < step ? "bg-emerald-100 text-emerald-800" : i === step ? "bg-accent text-accent-foreground" : "bg-slate-200 text-slate-600"
            }`}
          >
            {i < step ? <CheckIcon className="size-3.5" aria-label="done" /> : i + 1}
          </span>
          <span className={i === step ? "font-medium text-slate-900" : "text-slate-600"}>{label}</span>
        </li>
      ))}
    </ol>
  );
}

function DropZone({ onFile }: { onFile: (file: File) => void }) {
  const id = useId();
  const [over, setOver] = useState(false);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file) onFile(file);
  };
  return (
    <div
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      className={`flex flex-col items-center rounded-xl border-2 border-dashed px-6 py-10 text-center transition-colors ${over ? "border-accent bg-accent-soft" : "border-slate-300 bg-white"}`}
    >
      <span className="inline-flex size-10 items-center justify-center rounded-full bg-slate-100 text-slate-600">
        <UploadIcon width={20} height={20} />
      </span>
      <p className="mt-3 text-sm text-slate-700">Drop a CSV file here, or</p>
      <label htmlFor={id} className={`${buttonClasses("secondary")} mt-2 cursor-pointer has-focus-visible:outline-2 has-focus-visible:outline-offset-2 has-focus-visible:outline-accent`}>
        Choose a CSV file
        <input
          id={id}
          type="file"
          accept=".csv,.tsv,.txt,text/csv"
          className="sr-only"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) onFile(file);
            e.target.value = "";
          }}
        />
      </label>
      <p className="mt-2 text-xs text-slate-500">UTF-8, comma-, semicolon- or tab-separated</p>
    </div>
  );
}

function ValueMapping({
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

function ProgressBar({ progress, label }: { progress: ImportProgress | null; label: string }) {
  const uploading = progress?.phase !== "processing";
  const percent = Math.round((progress?.fraction ?? 0) * 100);
  return (
    <div className="flex items-center gap-2 text-xs text-slate-600">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={uploading ? percent : undefined}
        aria-valuetext={uploading ? `Uploading, ${percent}%` : "Processing rows"}
        className="relative h-2 w-40 overflow-hidden rounded-full bg-slate-200"
      >
        {uploading ? (
          <div className="h-full rounded-full bg-accent transition-[width]" style={{ width: `${percent}%` }} />
        ) : (
          <div className="nav-progress h-full w-1/3 rounded-full bg-accent" />
        )}
      </div>
      <span aria-hidden="true">{uploading ? `Uploading ${percent}%` : "Processing rows…"}</span>
    </div>
  );
}

function Summary({ result, entity, dryRun = false }: { result: ImportResult; entity: { label: string; one: string }; dryRun?: boolean }) {
  const items: { label: string; value: number; tone: string }[] = [
    { label: dryRun ? "would be created" : "created", value: result.created, tone: "text-emerald-700" },
    { label: dryRun ? "would be updated" : "updated", value: result.updated, tone: "text-sky-700" },
    { label: "unchanged", value: result.unchanged, tone: "text-slate-700" },
    { label: "skipped (errors)", value: result.skipped, tone: result.skipped ? "text-red-700" : "text-slate-700" },
  ];
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4">
      <p className="text-sm text-slate-600">
        {pluralize(result.rows, "row")} of {entity.label.toLowerCase()} in the file
        {result.accountsCreated > 0 && ` · ${pluralize(result.accountsCreated, "new account")} ${dryRun ? "would be" : "were"} created for unknown company names`}
      </p>
      <dl className="mt-3 grid grid-cols-2 gap-4 sm:grid-cols-4">
        {items.map((i) => (
          <div key={i.label}>
            <dt className="text-xs text-slate-500">{i.label}</dt>
            <dd className={`tabular text-2xl font-semibold ${i.tone}`}>{formatCount(i.value)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function ErrorTable({ result }: { result: ImportResult }) {
  const shown = result.errors.slice(0, 200);
  function download() {
    const csv = toCsv(["row", "column", "message"], result.errors.map((e) => [String(e.row), e.column ?? "", e.message]));
    const url = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
    const a = Object.assign(document.createElement("a"), { href: url, download: "import-errors.csv" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
  return (
    <div className="rounded-lg border border-red-200 bg-white">
      <div className="flex flex-wrap items-center gap-3 border-b border-red-100 bg-red-50 px-4 py-2.5">
        <h3 className="text-sm font-semibold text-red-800">
          {pluralize(result.errors.length, "problem")}
          {result.errorsTruncated && " (the first 1,000 are listed)"}
        </h3>
        <Button size="sm" className="ml-auto" onClick={download}>
          Download as CSV
        </Button>
      </div>
      <div className="max-h-96 overflow-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Rows that cannot be imported</caption>
          <thead className="sticky top-0 bg-white text-xs font-medium text-slate-600 shadow-[0_1px_0_var(--color-slate-200)]">
            <tr>
              <th scope="col" className="w-20 px-4 py-2">Row</th>
              <th scope="col" className="w-48 px-4 py-2">Column</th>
              <th scope="col" className="px-4 py-2">Problem</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {shown.map((e, i) => (
              <tr key={`${e.row}-${e.column}-${i}`}>
                <td className="tabular px-4 py-2 text-slate-700">{e.row}</td>
                <td className="px-4 py-2 text-slate-700">{e.column ?? "—"}</td>
                <td className="px-4 py-2 text-slate-900">{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {result.errors.length > shown.length && <Note>…and {formatCount(result.errors.length - shown.length)} more in the CSV download.</Note>}
      </div>
    </div>
  );
}

function Note({ children }: { children: ReactNode }) {
  return <p className="px-4 py-2 text-xs text-slate-500">{children}</p>;
}
