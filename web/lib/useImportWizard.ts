/*
 * The import wizard's state machine: upload → map → check (dry run) → import, and what each step needs (the parsed
 * preview, the mapping and value maps, the options, the last dry run and result). web/routes/import.tsx renders it.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { preferredCurrency } from "../components/AmountField";
import type { Step } from "../components/import/Stepper";
import { isAbortError } from "./api";
import { parseCsv, toCsv, type ParsedCsv } from "./csv";
import { runImport, type ImportProgress, type ImportResult } from "./import-api";
import {
  detectAmountUnit,
  detectDateFormat,
  importOptionsFor,
  importSessionId,
  mappingProblem,
  normalise,
  suggestMapping,
  suggestStage,
  type DateFormat,
  type DuplicateMode,
  type CustomTarget,
  type ImportEntity,
} from "./import-mapping";
import { useMeta, type Meta } from "./meta";
import { getStages, type ConfiguredStage } from "./quick-create";
import { useResource } from "./useResource";
import { domain } from "../../domain";

/** The statuses an import may write (domain/lead.ts: "converted" is set by the conversion only). */
export const LEAD_STATUSES = domain.lead.fields.status.inputOptions;
/** The preview reads at most this much of a huge file; the server reads all of it. */
const PARSE_LIMIT = 8 * 1024 * 1024;
const DISTINCT_LIMIT = 50;

export interface Loaded {
  file: File;
  /** What is uploaded: the file itself, or a comma-separated copy when it used semicolons or tabs. */
  upload: Blob;
  parsed: ParsedCsv;
  /** Only the first PARSE_LIMIT bytes were read. */
  sampled: boolean;
}

/** The workspace's importable custom fields of an entity, as mapping targets (`custom.<key>`), from GET /api/meta. */
export function customTargetsOf(meta: Meta | null, entity: ImportEntity): CustomTarget[] {
  const decl = Object.values(domain).find((d) => d.plural === entity);
  const fields = decl && meta ? meta.entities[decl.key]?.fields ?? [] : [];
  // Meta names a custom field by its bare key; the import API takes it as `custom.<key>` (as headers and filters do).
  return fields.filter((f) => f.source === "custom" && f.importable).map((f) => ({ name: `custom.${f.key}`, label: f.label }));
}

export function useImportWizard(entity: ImportEntity) {
  const meta = useMeta();
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
  const [duplicates, setDuplicates] = useState<DuplicateMode>("update");
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [running, setRunning] = useState<"dry" | "real" | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [check, setCheck] = useState<ImportResult | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const abortRef = useRef<() => void>(undefined);

  const stages = useResource(entity === "opportunities" ? "import:stages" : "import:none", (signal) =>
    entity === "opportunities" ? getStages({ signal }) : Promise.resolve([] as ConfiguredStage[]),
  );

  useEffect(() => () => abortRef.current?.(), []);

  /** Another record type for the loaded file: its columns are suggested afresh. */
  function switchEntity(next: ImportEntity) {
    if (loaded) applySuggestions(next, loaded.parsed);
  }

  function applySuggestions(forEntity: ImportEntity, parsed: ParsedCsv) {
    const guess = suggestMapping(forEntity, parsed.header, customTargetsOf(meta, forEntity));
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

  /** Only the options that apply to this entity and its mapped columns: what is shown is what is sent. */
  function options(dryRun: boolean, mode = duplicates) {
    const valueMap: Record<string, Record<string, string>> = {};
    for (const [field, map] of Object.entries(valueMaps)) {
      if ((field === "stageName" && !stageColumn) || (field === "status" && !statusColumn)) continue;
      const entries = Object.entries(map).filter(([from, to]) => to && to !== from);
      if (entries.length) valueMap[field] = Object.fromEntries(entries);
    }
    return importOptionsFor(entity, {
      dryRun,
      duplicates: mode,
      // One per browser tab: the deals file imported after the accounts file finds the accounts it just imported.
      importSessionId: importSessionId(),
      mapped: (field) => !!mapped(field),
      dateFormat,
      amountUnit,
      currency,
      createMissingAccounts,
      valueMap,
    });
  }
  const shown = loaded ? options(true) : {};

  async function run(dryRun: boolean, mode = duplicates) {
    if (!loaded || problem) return;
    setRunning(dryRun ? "dry" : "real");
    setFailure(null);
    const body = Object.fromEntries(Object.entries(mapping).map(([h, f]) => [h, f || null]));
    const handle = runImport(entity, loaded.upload, loaded.file.name.replace(/\.(tsv|txt)$/i, ".csv"), body, options(dryRun, mode), setProgress);
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

  const customTargets = customTargetsOf(meta, entity);
  return { customTargets, step, setStep, loaded, readError, mapping, setMapping, suggested, valueMaps, setValueMaps, dateFormat, setDateFormat, amountUnit, setAmountUnit, currency, setCurrency, createMissingAccounts, setCreateMissingAccounts, duplicates, setDuplicates, progress, running, failure, check, result, stages, readFile, stageColumn, statusColumn, stageValues, statusValues, problem, shown, run, reset, switchEntity };
}
