import { eq } from "drizzle-orm";
import type { Database, Tx } from "../../../db/client";
import { customFields } from "../../../db/schema";
import { ConflictError, ValidationError } from "../../lib/errors";
import type { ConversionReport, CustomField, CustomFieldType, CustomFieldUpdate } from "../../schemas/custom-fields";
import { diff, recordAudit, type Actor } from "../audit/record";
import { convertValue, missingIds } from "./convert";
import { checkDefinition, isSelect } from "./definition";
import { ensureCustomFieldIndexesBestEffort } from "./indexes";
import { loadField } from "./load";
import { recordsWithValue, writeValues } from "./records";
import type { CustomFieldEntity, CustomFieldRow } from "./registry";
import { serializeField } from "./serialize";
import { SEARCHABLE_TYPES } from "./search";

/** Failed values kept in the audit entry of a type change (the rest are counted). */
const AUDIT_FAILED_MAX = 1000;

/**
 * PATCH /api/fields/{id} (ADMIN), with the version the caller edited (409 with the current field if it moved on).
 * A type change converts every stored value it can (text "42" → number 42, select → its label as text, …); values
 * that do not convert are removed from the records and listed in the audit entry, and the response reports how many
 * and which (`dryRun` reports without changing anything). Removing select options that records still hold is a 409
 * unless `remapTo` says where each goes.
 */
export async function updateField(input: { db: Database; actor: Actor; id: string; body: CustomFieldUpdate }): Promise<{ field: CustomField; conversion: ConversionReport | null }> {
  const { db, actor, id, body } = input;
  const ws = actor.workspaceId;
  const result = await db.transaction(async (tx) => {
    const before = await loadField(tx, ws, id);
    if (body.version !== before.version) {
      throw new ConflictError(`This field was changed by someone else (you edited version ${body.version}, it is now ${before.version}); review and re-apply`, { current: serializeField(before) });
    }
    const type = (body.type ?? before.type) as CustomFieldType;
    const typeChanged = type !== before.type;
    const settings = body.settings ?? before.settings;
    const targetChanged = type === "record_link" && !typeChanged && (settings as { target?: string }).target !== (before.settings as { target?: string }).target;
    const givenOptions = body.options ?? (isSelect(type) ? before.options.map((o, i) => ({ ...o, color: o.color ?? null, order: i })) : undefined);
    const defaultValue = body.defaultValue !== undefined ? body.defaultValue : typeChanged ? null : before.defaultValue;
    const { options } = checkDefinition({ type, options: givenOptions, settings, defaultValue });
    const next = { key: before.key, type, options, settings };

    let conversion: ConversionReport | null = null;
    const changes: { id: string; value: unknown }[] = [];
    const failed: { id: string; value: unknown }[] = [];
    if (typeChanged || targetChanged) {
      const stored = await recordsWithValue(tx, ws, before.entity as CustomFieldEntity, before.key);
      const converted: { id: string; value: unknown }[] = [];
      for (const r of stored) {
        const c = convertValue(before, next, r.value);
        if (c.ok) converted.push({ id: r.id, value: c.value });
        else failed.push(r);
      }
      const original = new Map(stored.map((r) => [r.id, r.value]));
      if (type === "user" || type === "record_link") {
        const missing = await missingIds(tx, ws, next, [...new Set(converted.map((c) => c.value as string))]);
        for (let i = converted.length - 1; i >= 0; i--) {
          if (missing.has(converted[i]!.value as string)) failed.push({ id: converted[i]!.id, value: original.get(converted.splice(i, 1)[0]!.id) });
        }
      }
      changes.push(...converted.filter((c) => JSON.stringify(c.value) !== JSON.stringify(original.get(c.id))), ...failed.map((f) => ({ id: f.id, value: null })));
      conversion = { from: before.type as CustomFieldType, to: type, converted: converted.length, failed: failed.length, examples: failed.slice(0, 10), dryRun: body.dryRun === true };
    } else if (isSelect(type) && body.options) {
      changes.push(...(await remapRemovedOptions(tx, ws, before, options.map((o) => o.value), body.remapTo ?? {})));
    }
    if (body.dryRun) return { row: before, conversion, indexes: false };

    if (changes.length) await writeValues(tx, ws, before.entity as CustomFieldEntity, before.key, changes);
    const set = {
      label: body.label ?? before.label,
      type,
      options,
      settings,
      required: body.required ?? before.required,
      defaultValue,
      helpText: body.helpText !== undefined ? body.helpText : before.helpText,
      showOnCard: body.showOnCard ?? before.showOnCard,
      showInQuickCreate: body.showInQuickCreate ?? before.showInQuickCreate,
      filterable: body.filterable ?? before.filterable,
      position: body.position ?? before.position,
    };
    const [row] = await tx.update(customFields).set({ ...set, version: before.version + 1, updatedAt: new Date() }).where(eq(customFields.id, id)).returning();
    const audit = diff(before as unknown as Record<string, unknown>, set);
    if (conversion) audit.conversion = { from: null, to: { ...conversion, failedValues: failed.slice(0, AUDIT_FAILED_MAX) } };
    await recordAudit(tx, actor, { action: "update", entityType: "custom_field", entityId: id, changes: audit });
    const searchable = (SEARCHABLE_TYPES as readonly string[]).includes(type);
    return { row: row!, conversion, indexes: (row!.filterable && (!before.filterable || typeChanged)) || (typeChanged && searchable) };
  });
  if (result.indexes) await ensureCustomFieldIndexesBestEffort(db, ws);
  return { field: serializeField(result.row), conversion: result.conversion };
}

/**
 * Records holding select options the new list no longer has: each removed value goes where `remapTo` says (another
 * option, or null to clear). Any removed value still in use without a mapping → 409 listing the counts.
 */
async function remapRemovedOptions(tx: Tx, ws: string, before: CustomFieldRow, kept: string[], remapTo: Record<string, string | null>) {
  const removed = before.options.map((o) => o.value).filter((v) => !kept.includes(v));
  if (!removed.length) return [];
  const bad = Object.entries(remapTo).filter(([, to]) => to !== null && !kept.includes(to));
  if (bad.length) throw new ValidationError("remapTo must name options the field keeps", bad.map(([from]) => ({ path: `remapTo.${from}`, message: "is not an option of the field" })));
  const stored = await recordsWithValue(tx, ws, before.entity as CustomFieldEntity, before.key);
  const inUse = new Map<string, number>();
  const out: { id: string; value: unknown }[] = [];
  for (const r of stored) {
    const values = Array.isArray(r.value) ? (r.value as string[]) : [r.value as string];
    const hit = values.filter((v) => removed.includes(v));
    if (!hit.length) continue;
    for (const h of hit) inUse.set(h, (inUse.get(h) ?? 0) + 1);
    const mapped = [...new Set(values.map((v) => (removed.includes(v) ? (remapTo[v] ?? null) : v)).filter((v): v is string => v !== null))];
    out.push({ id: r.id, value: Array.isArray(r.value) ? (mapped.length ? mapped : null) : (mapped[0] ?? null) });
  }
  const unmapped = [...inUse].filter(([v]) => !(v in remapTo));
  if (unmapped.length) {
    throw new ConflictError(
      `Records still use ${unmapped.map(([v, n]) => `"${v}" (${n})`).join(", ")}; say where they go with remapTo (another option, or null to clear)`,
      { inUse: Object.fromEntries(unmapped), errors: unmapped.map(([v, n]) => ({ path: `options`, message: `"${v}" is used by ${n} record(s)` })) },
    );
  }
  return out;
}
