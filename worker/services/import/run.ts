import { inArray } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { emit } from "../../events/outbox";
import { moveDealsToStage } from "../opportunities/move-stage";
import { CsvError, CsvParser, isBlankRecord, unescapeFormula } from "../../lib/csv";
import { ProblemError, ValidationError, type FieldError } from "../../lib/errors";
import type { ImportEntity, ImportOptions, ImportResult } from "../../schemas/import-export";
import { diff, recordAudit, type Actor, type DomainEvent } from "../audit/record";
import { serialize } from "../records/serialize";
import { mapValue, parseAmount, parseDate, parseInteger } from "./convert";
import { groupField, importSpecs, relationOf, writtenFields, type ImportSpec, type RelationGroup } from "./fields";
import { matchExisting } from "./match";
import { createMissingAccounts, resolveRelations } from "./relations";
import { loadLookups, type Lookups, type Target } from "./resolve";
import { addError, groupOrder, type BatchContext, type ImportError, type Plan, type Row } from "./row";
import { openImportSession, type ImportSession } from "./session";
import { writeBatch, type WriteRow } from "./write";
import { customForNewRecord, customImportTargets, parseCustomCell } from "../custom-fields/import";
import { listCustomFields, type CustomFieldEntity, type CustomFieldRow } from "../custom-fields/registry";
import { assertRefs } from "../records/refs";

/** Rows per statement: 500 rows × ~15 columns is one JSON parameter of ~100 KB and one round trip. */
const BATCH_ROWS = 500;
/** One request must stay well inside the Workers CPU limit; 10,000 rows use a fraction of it (README). */
export const IMPORT_MAX_ROWS = 50_000;
const MAX_ERRORS = 1_000;

const DRY_RUN = Symbol("dry run");

/**
 * Imports a CSV file into accounts, contacts, leads or opportunities. Each row is read with the file's date and
 * amount conventions, validated with the same zod schema as POST /api/<entity>, its relations resolved by name,
 * e-mail or externalId, then written in batches (see writeBatch). Bad rows are reported with their spreadsheet row
 * number and column and skipped; the good rows, the accounts created for them and one audit entry are committed
 * together, so a failure half-way writes nothing. A dry run runs the very same code and rolls back.
 */
export async function importRecords(input: {
  db: Database;
  actor: Actor;
  entity: ImportEntity;
  file: ReadableStream<Uint8Array>;
  fileName: string;
  mapping: Record<string, string | null> | undefined;
  options: ImportOptions;
  /** Options the caller sent that do not apply to this entity (reported back, not used). */
  ignoredOptions?: string[];
}): Promise<ImportResult> {
  const { db, actor, options } = input;
  const spec = importSpecs[input.entity];
  const result: ImportResult = {
    dryRun: options.dryRun,
    rows: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    accountsCreated: 0,
    duplicates: options.duplicates,
    matched: { total: 0, externalId: 0, email: 0, domain: 0, name: 0 },
    duplicatesSkipped: 0,
    ignoredOptions: input.ignoredOptions ?? [],
    errors: [],
    errorsTruncated: false,
  };
  const events: DomainEvent[] = [];
  const report = (e: ImportError) => {
    if (result.errors.length < MAX_ERRORS) result.errors.push(e);
    else result.errorsTruncated = true;
  };

  try {
    await db.transaction(async (tx) => {
      let plan: Plan | undefined;
      let lookups: Lookups | undefined;
      const seen = new Map<string, number>();
      const matchedBy = new Map<string, number>();
      let session: ImportSession | undefined;
      let batch: { rowNo: number; cells: string[] }[] = [];
      const flush = async () => {
        if (!batch.length) return;
        await processBatch({ tx, actor, spec, options, plan: plan!, lookups: lookups!, seen, matchedBy, session: session!, batch, result, events, report });
        // Into the outbox with the batch's rows (same transaction): a dry run rolls them back with everything else.
        await emit(tx, actor, events.splice(0));
        batch = [];
      };
      let index = 0;
      for await (const record of readRecords(input.file)) {
        const rowNo = ++index;
        if (!plan) {
          plan = makePlan(spec, record, input.mapping, options, await listCustomFields(tx, actor.workspaceId, spec.def.type as CustomFieldEntity));
          [lookups, session] = await Promise.all([loadLookups(tx, actor.workspaceId), openImportSession(tx, actor.workspaceId, options.importSessionId)]);
          continue;
        }
        if (isBlankRecord(record)) continue;
        if (++result.rows > IMPORT_MAX_ROWS) {
          throw new ProblemError(413, "Content Too Large", `A file may hold at most ${IMPORT_MAX_ROWS.toLocaleString("en")} rows; split it and import the parts`);
        }
        batch.push({ rowNo, cells: record });
        if (batch.length >= BATCH_ROWS) await flush();
      }
      if (!plan) throw new ValidationError("The file is empty: it needs a header row", [{ path: "file", message: "no header row" }]);
      await flush();
      if (options.dryRun) throw DRY_RUN;
      const counts = { rows: result.rows, created: result.created, updated: result.updated, unchanged: result.unchanged, skipped: result.skipped, accountsCreated: result.accountsCreated };
      await recordAudit(tx, actor, {
        action: "import",
        entityType: spec.def.type,
        entityId: null,
        changes: {
          file: { from: null, to: input.fileName },
          ...Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, { from: null, to: v }])),
        },
      });
    });
  } catch (err) {
    if (err !== DRY_RUN) throw err;
  }
  return result;
}

/** Decodes the upload as UTF-8 (refusing anything else rather than importing mojibake) and yields its records. */
async function* readRecords(stream: ReadableStream<Uint8Array>): AsyncGenerator<string[]> {
  const parser = new CsvParser();
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      let text: string;
      try {
        text = done ? decoder.decode() : decoder.decode(value, { stream: true });
      } catch {
        throw new ValidationError('The file is not UTF-8 text: in Excel choose "CSV UTF-8", in other tools the UTF-8 encoding', [{ path: "file", message: "not UTF-8" }]);
      }
      try {
        yield* parser.push(text);
        if (done) {
          yield* parser.end();
          return;
        }
      } catch (err) {
        if (err instanceof CsvError) throw new ValidationError(`The file is not valid CSV: ${err.message}`, [{ path: "file", message: `row ${err.record}: ${err.message}` }]);
        throw err;
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/** Which column feeds which field, and which fields an import writes. Mapping mistakes fail the request up front. */
function makePlan(spec: ImportSpec, header: string[], mapping: Record<string, string | null> | undefined, options: ImportOptions, custom: CustomFieldRow[] = []): Plan {
  const headers = header.map((h) => h.trim());
  const problems: FieldError[] = [];
  const customTargets = customImportTargets(custom);
  const fieldSet = new Set([...spec.fields, ...customTargets.fields]);
  let pairs: [string, string][];
  if (mapping) {
    pairs = Object.entries(mapping).filter((e): e is [string, string] => typeof e[1] === "string" && e[1].trim() !== "");
  } else {
    const byLower = new Map([...customTargets.byHeader, ...spec.fields.map((f) => [f.toLowerCase(), f] as const)]);
    pairs = headers.filter((h) => byLower.has(h.toLowerCase())).map((h) => [h, byLower.get(h.toLowerCase())!]);
    if (!pairs.length) {
      problems.push({ path: "mapping", message: `no header is a field name; send a mapping {"<csv header>": "<field>"} with fields from: ${spec.fields.join(", ")}` });
    }
  }
  const columns: Plan["columns"] = [];
  const headerOf = new Map<string, string>();
  for (const [h, rawField] of pairs) {
    const field = rawField.trim();
    const at = headers.flatMap((x, i) => (x === h.trim() ? [i] : []));
    if (!fieldSet.has(field)) problems.push({ path: `mapping.${h}`, message: `"${field}" is not a field of ${spec.entity}; use one of: ${spec.fields.join(", ")}` });
    else if (at.length === 0) problems.push({ path: `mapping.${h}`, message: `the file has no column "${h}" (its header: ${headers.slice(0, 30).join(", ")})` });
    else if (at.length > 1) problems.push({ path: `mapping.${h}`, message: `the file has ${at.length} columns named "${h}"; rename them so the mapping is unambiguous` });
    else if (headerOf.has(field)) problems.push({ path: `mapping.${h}`, message: `"${field}" is already mapped from column "${headerOf.get(field)}"` });
    else {
      columns.push({ index: at[0]!, header: h.trim(), field });
      headerOf.set(field, h.trim());
    }
  }
  if (!problems.length && !spec.requiredAnyOf.some((f) => headerOf.has(f))) {
    problems.push({ path: "mapping", message: `map a column to ${spec.requiredAnyOf.join(" or ")}` });
  }
  for (const f of Object.keys(options.valueMap)) {
    if (!fieldSet.has(f)) problems.push({ path: `options.valueMap.${f}`, message: `"${f}" is not a field of ${spec.entity}` });
  }
  if (problems.length) throw new ValidationError("The column mapping does not fit this file", problems);

  const groups = new Set<RelationGroup>();
  const set = new Set<string>();
  for (const c of columns) {
    const rel = relationOf[c.field];
    if (rel) groups.add(rel.group);
    if (c.field.startsWith("custom.")) set.add("custom");
    else if (c.field !== "externalId") for (const f of writtenFields(spec, c.field)) set.add(f);
  }
  const setFields = [...set];
  const insert = new Set(["externalId", "ownerId", ...setFields]);
  // The default currency goes only where the entity has one (the wizard once sent it for contacts too), and without
  // a currency column only into new records: an account matched by name keeps its own.
  if (options.currency && fieldSet.has("currency")) insert.add("currency");
  if (spec.entity === "opportunities") insert.add("stageId");
  // New records get custom defaults (and are refused without required custom values) even with no custom column.
  if (custom.some((f) => f.required || f.defaultValue != null)) insert.add("custom");
  return { columns, headerCount: headers.length, headerOf, groups, setFields, insertFields: [...insert], custom };
}

async function processBatch(ctx: BatchContext): Promise<void> {
  const { tx, actor, spec, plan, result } = ctx;
  const rows = ctx.batch.map((r) => parseRow(ctx, r.rowNo, r.cells));
  await resolveRelations(ctx, rows);

  // The same externalId twice in one file would make the second row silently overwrite the first.
  for (const row of rows) {
    const ext = row.values.externalId as string | undefined;
    if (!ext || row.errors.length) continue;
    const first = ctx.seen.get(ext);
    if (first !== undefined) addError(row, plan.headerOf.get("externalId") ?? null, `externalId "${ext}" already appears on row ${first} of this file`);
    else ctx.seen.set(ext, row.rowNo);
  }

  await matchExisting(ctx, rows);
  const leftAlone = rows.filter((r) => r.duplicateSkipped && !r.errors.length);
  const toWrite = rows.filter((r) => !r.duplicateSkipped);
  for (const row of toWrite) checkAgainstExisting(ctx, row);
  await checkCustom(ctx, toWrite);
  // Last, so no account is created for a row that turns out to be skipped.
  await createMissingAccounts(ctx, toWrite);

  const good = toWrite.filter((r) => r.errors.length === 0);
  for (const row of rows) for (const e of row.errors) ctx.report(e);
  result.skipped += toWrite.length - good.length;
  result.duplicatesSkipped += leftAlone.length;

  // An existing deal that changes stage keeps its stage in the batch write; the stage-move verb moves it afterwards
  // (activity, audit entry, event and closed_at / position, as every other stage move).
  const stageTargets = new Map<string, string>();
  const writeRows: WriteRow[] = good.map((r) => {
    // A row matched by id carries that id as its externalId cell; it must not become the record's externalId.
    const values: Record<string, unknown> = r.match?.by === "id" ? { ...r.values, externalId: null } : { ...r.values };
    if (spec.entity === "opportunities" && r.before && values.stageId != null && values.stageId !== r.before.stageId) {
      stageTargets.set(r.before.id as string, values.stageId as string);
      values.stageId = r.before.stageId;
    }
    return { values, matchId: r.matchId };
  });
  const written = good.length ? await writeBatch(tx, spec, actor.workspaceId, plan.setFields, plan.insertFields, writeRows) : [];
  const writtenIds = new Set(written.map((w) => w.id));
  for (const id of await moveImportedDeals(ctx, stageTargets, writtenIds)) if (!writtenIds.has(id)) written.push({ id, inserted: false });
  if (spec.entity === "accounts") {
    // The accounts this file is about, for later imports of the session that name them (see ImportSession).
    await ctx.session.rememberAccounts([...written.map((w) => w.id), ...good.concat(leftAlone).flatMap((r) => (r.match ? [r.match.id] : []))]);
  }
  const inserted = written.filter((w) => w.inserted).length;
  result.created += inserted;
  result.updated += written.length - inserted;
  result.unchanged += good.length - written.length;
  if (!written.length) return;

  const table = spec.def.table;
  const after = (await tx.select().from(table).where(inArray(table.id!, written.map((w) => w.id)))) as Record<string, unknown>[];
  const beforeById = new Map(good.filter((r) => r.before).map((r) => [r.before!.id as string, r.before!]));
  const insertedIds = new Set(written.filter((w) => w.inserted).map((w) => w.id));
  for (const rec of after) {
    const id = rec.id as string;
    const data = serialize(rec);
    // Deal payloads carry their pipeline (their stage's), as the API's do.
    if (spec.entity === "opportunities") data.pipelineId = ctx.lookups.stagesById.get(rec.stageId as string)?.pipelineId ?? null;
    if (insertedIds.has(id)) {
      ctx.events.push({ type: `${spec.def.type}.created`, entityType: spec.def.type, entityId: id, data });
      continue;
    }
    const before = beforeById.get(id) ?? null;
    ctx.events.push({ type: `${spec.def.type}.updated`, entityType: spec.def.type, entityId: id, data: { ...data, changes: diff(before, rec) } });
  }
}

/** Existing deals whose row names another stage, grouped by target: one verb call per target stage. */
async function moveImportedDeals(ctx: BatchContext, targets: Map<string, string>, versionBumped: Set<string>): Promise<string[]> {
  const byStage = new Map<string, string[]>();
  for (const [id, stageId] of targets) {
    const list = byStage.get(stageId);
    if (list) list.push(id);
    else byStage.set(stageId, [id]);
  }
  const moved: string[] = [];
  for (const [toStageId, ids] of byStage) {
    const done = await moveDealsToStage({ tx: ctx.tx, actor: ctx.actor, ids, toStageId, reason: "Changed by a CSV import", source: "import", versionBumped });
    moved.push(...done.map((d) => d.id));
  }
  return moved;
}

/** Cells → typed values → the entity's create schema. Relation cells are kept aside for resolveRelations. */
function parseRow(ctx: BatchContext, rowNo: number, cells: string[]): Row {
  const { spec, plan, options } = ctx;
  const row: Row = { rowNo, errors: [], values: {}, rel: {}, targets: {}, matchId: null };
  const input: Record<string, unknown> = {};
  const amounts: { field: string; header: string; raw: string }[] = [];
  for (const col of plan.columns) {
    const raw = unescapeFormula((cells[col.index] ?? "").trim());
    const v = mapValue(options.valueMap[col.field], raw).trim();
    if (v === "") continue;
    if (col.field.startsWith("custom.")) {
      const f = plan.custom.find((x) => `custom.${x.key}` === col.field)!;
      const r = parseCustomCell(f, v, { amountUnit: options.amountUnit === "major" ? "major" : "minor", parseDate: (d) => parseDate(d, options.dateFormat) });
      if (r.ok) (row.custom ??= {})[f.key] = r.value;
      else addError(row, col.header, r.message);
      continue;
    }
    // Postgres text cannot hold U+0000: caught here, it costs one row instead of the whole file.
    if (v.includes("\u0000")) {
      addError(row, col.header, "contains a NUL character (U+0000), which cannot be stored; remove it from the cell");
      continue;
    }
    switch (spec.kinds[col.field]) {
      case "relation":
        row.rel[col.field] = v;
        break;
      case "int": {
        const r = parseInteger(v);
        if (r.ok) input[col.field] = r.value;
        else addError(row, col.header, r.message);
        break;
      }
      case "date": {
        const r = parseDate(v, options.dateFormat);
        if (r.ok) input[col.field] = r.value;
        else addError(row, col.header, r.message);
        break;
      }
      case "amount":
        amounts.push({ field: col.field, header: col.header, raw: v });
        break;
      case "lowercase":
        input[col.field] = v.toLowerCase();
        break;
      default:
        input[col.field] = v;
    }
  }
  // "converted" is what converting a lead sets (with its links); a row may only repeat it for a converted lead.
  if (spec.entity === "leads" && input.status === "converted") {
    delete input.status;
    row.claimsConverted = true;
  }
  if (input.currency === undefined && options.currency && spec.fields.includes("currency")) input.currency = options.currency;
  const currency = typeof input.currency === "string" ? input.currency : "USD";
  for (const a of amounts) {
    const r = parseAmount(a.raw, options.amountUnit, currency);
    if (r.ok) input[a.field] = r.value;
    else addError(row, a.header, r.message);
  }
  if (cells.length > plan.headerCount && cells.slice(plan.headerCount).some((c) => c.trim() !== "")) {
    addError(row, null, `the row has ${cells.length} cells but the header has ${plan.headerCount}; check for an unquoted comma`);
  }

  const parsed = spec.schema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "");
      const header = plan.headerOf.get(field) ?? (field === "name" ? ["firstName", "lastName", "email"].map((f) => plan.headerOf.get(f)).find(Boolean) : undefined);
      const missing = issue.code === "invalid_type" && field !== "" && input[field] === undefined;
      addError(row, header ?? (field || null), missing ? "is required" : issue.message);
    }
    return row;
  }
  const data = parsed.data as Record<string, unknown>;
  const prepared = spec.def.prepare ? spec.def.prepare(data) : data;
  for (const f of plan.insertFields) row.values[f] = prepared[f] ?? null;
  if (plan.insertFields.includes("custom")) row.values.custom = row.custom ?? {};
  row.values.externalId = (data.externalId as string | undefined) ?? null;
  if (!plan.groups.has("owner")) row.values.ownerId = ctx.actor.userId;
  return row;
}

/** Rules that need the record being updated: trash, converted leads, links to trashed records, kept defaults. */
function checkAgainstExisting(ctx: BatchContext, row: Row): void {
  if (row.errors.length) return;
  const { spec, plan, lookups, options } = ctx;
  const before = row.before;
  const extHeader = plan.headerOf.get("externalId") ?? "externalId";
  if (before?.deletedAt) {
    addError(row, extHeader, `matches a ${spec.def.label.toLowerCase()} in the trash; restore it first, or change the externalId to import a new one`);
    return;
  }
  for (const [group, target] of Object.entries(row.targets) as [RelationGroup, Target][]) {
    if (target.live || before?.[groupField[group]] === target.id) continue;
    const field = groupOrder[group].find((f) => row.rel[f] !== undefined);
    const what = group === "owner" ? `user ${target.name} is deactivated` : group === "stage" ? `stage "${target.name}" was deleted` : `the ${group === "account" ? "account" : "contact"} "${target.name}" is in the trash`;
    addError(row, (field && plan.headerOf.get(field)) ?? null, what);
  }
  if (row.claimsConverted && before?.status !== "converted") {
    addError(row, plan.headerOf.get("status") ?? "status", 'a lead becomes "converted" by converting it (contact, account and deal are created then); import it as qualified');
  }
  if (spec.entity === "leads" && before?.status === "converted" && row.values.status != null && row.values.status !== "converted") {
    addError(row, plan.headerOf.get("status") ?? "status", "a converted lead keeps its status; edit the contact or opportunity it became instead");
  }
  for (const f of spec.keepWhenEmpty) {
    if (!plan.insertFields.includes(f) || row.values[f] != null) continue;
    // A deal named into another pipeline (a pipeline cell, no stage cell) moves to that pipeline's first open stage.
    const stayPut = f !== "stageId" || !row.pipelineId || lookups.stagesById.get(before?.stageId as string)?.pipelineId === row.pipelineId;
    if (before && stayPut) row.values[f] = before[f];
    else if (f === "status") row.values[f] = "new";
    else if (f === "currency") row.values[f] = options.currency ?? "USD";
    else if (f === "stageId") {
      const first = row.pipelineId ? lookups.firstOpenStageByPipeline.get(row.pipelineId) : lookups.firstOpenStageId;
      if (first) row.values[f] = first;
      else addError(row, plan.headerOf.get("stageName") ?? plan.headerOf.get("pipeline") ?? null, "the pipeline has no open stage; add one in Settings first");
    }
  }
}

/** Custom values need the record: new records get defaults and must have required fields; ids must be in the workspace. */
async function checkCustom(ctx: BatchContext, rows: Row[]): Promise<void> {
  const { plan } = ctx;
  if (!plan.insertFields.includes("custom")) return;
  const headerOf = (field: string) => plan.headerOf.get(field);
  const linking = plan.custom.filter((f) => (f.type === "user" || f.type === "record_link") && plan.headerOf.has(`custom.${f.key}`));
  for (const row of rows) {
    if (row.errors.length) continue;
    if (!row.before && !row.matchId) {
      try {
        row.values.custom = customForNewRecord(plan.custom, row.custom ?? {}, headerOf);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        for (const e of (err.extra.errors as FieldError[]) ?? []) addError(row, e.path, e.message);
        continue;
      }
    }
    const refs = linking
      .filter((f) => typeof row.custom?.[f.key] === "string")
      .map((f) => ({ field: headerOf(`custom.${f.key}`)!, kind: (f.type === "user" ? "user" : (f.settings as { target: CustomFieldEntity }).target) as "user" | CustomFieldEntity, id: row.custom![f.key] as string }));
    if (!refs.length) continue;
    try {
      await assertRefs(ctx.tx, ctx.actor.workspaceId, refs);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      for (const e of (err.extra.errors as FieldError[]) ?? []) addError(row, e.path, e.message);
    }
  }
}
