/*
 * The editable fields of each record type: how a value reads, how its editor starts, and the PATCH a saved
 * edit sends. Money is edited in major units and sent in minor units of the record's currency.
 */
import type { ReactNode } from "react";
import { entityDecl, type EntityDecl, type FieldDecl } from "../../../domain";
import { fieldDisplay } from "../../components/fields/FieldValue";
import { customFieldsOf, type FieldMeta, type Meta } from "../../lib/meta";
import { recordPath, searchRecords, type SearchType } from "../../lib/search";
import type { InlineFieldKind } from "../../components/detail/InlineField";
import type { RecordOption } from "../../components/RecordCombobox";
import { currencyFractionDigits, formatDateOnly, formatMoney, parseMoneyInput } from "../../lib/format";
import type { DetailByEntity, LeadDetail, OpportunityDetail, RecordEntity } from "../../lib/records";
import { LEAD_STATUS_LABEL } from "../../lib/labels";

export interface FieldDef {
  name: string;
  label: string;
  value: string;
  display?: ReactNode;
  kind: InlineFieldKind;
  toPatch: (value: string) => Record<string, unknown>;
  validate?: (value: string) => string | undefined;
  hint?: string;
  wide?: boolean;
  link?: { href: string; label: string; external?: boolean };
}

export interface FieldContext {
  users: readonly { id: string; name: string; active: boolean }[];
  nameOf: (id: string | null | undefined) => string;
  searchAccounts: (q: string, signal: AbortSignal) => Promise<RecordOption[]>;
  /** GET /api/meta, for the workspace's custom fields (absent or null: core fields only). */
  meta?: Meta | null;
}

const orNull = (v: string) => (v.trim() === "" ? null : v.trim());
const text = (name: string, label: string, value: string | null, opts: { type?: "text" | "email" | "url" | "tel"; required?: boolean; maxLength?: number; display?: ReactNode } = {}): FieldDef => ({
  name,
  label,
  value: value ?? "",
  display: opts.display,
  kind: { type: opts.type ?? "text", required: opts.required, maxLength: opts.maxLength ?? 500 },
  toPatch: (v) => ({ [name]: opts.required ? v.trim() : orNull(v) }),
});
const longText = (name: string, label: string, value: string | null, maxLength = 10_000): FieldDef => ({
  name,
  label,
  value: value ?? "",
  kind: { type: "textarea", maxLength },
  toPatch: (v) => ({ [name]: orNull(v) }),
  wide: true,
});

function money(name: string, label: string, minor: number | null, currency: string): FieldDef {
  const digits = currencyFractionDigits(currency);
  return {
    name,
    label: `${label} (${currency})`,
    // Plain digits to edit ("12500.50"); what the user types is read strictly (grouping, decimals: parseMoneyInput).
    value: minor === null ? "" : (minor / 10 ** digits).toFixed(digits),
    display: minor === null ? null : formatMoney(minor, currency),
    kind: { type: "text", inputMode: "decimal", maxLength: 40 },
    validate: (v) => {
      const parsed = parseMoneyInput(v, currency);
      return parsed.ok ? undefined : parsed.error;
    },
    toPatch: (v) => {
      const parsed = parseMoneyInput(v, currency);
      return { [name]: parsed.ok ? parsed.minor : null };
    },
  };
}

function owner(ownerId: string | null, ctx: FieldContext): FieldDef {
  return {
    name: "ownerId",
    label: "Owner",
    value: ownerId ?? "",
    display: ownerId ? ctx.nameOf(ownerId) : "Unassigned",
    kind: { type: "select", allowEmpty: "Unassigned", options: ctx.users.filter((u) => u.active || u.id === ownerId).map((u) => ({ value: u.id, label: u.name })) },
    toPatch: (v) => ({ ownerId: orNull(v) }),
  };
}

function account(accountId: string | null, related: { id: string; name: string } | null, ctx: FieldContext): FieldDef {
  return {
    name: "accountId",
    label: "Account",
    value: accountId ?? "",
    display: related?.name ?? null,
    link: related ? { href: `/accounts/${related.id}`, label: `Open ${related.name}` } : undefined,
    kind: { type: "record", search: ctx.searchAccounts, current: related ? { id: related.id, name: related.name } : null },
    toPatch: (v) => ({ accountId: orNull(v) }),
  };
}

function int(name: string, label: string, value: number | null, opts: { min?: number; max?: number; hint?: string; display?: ReactNode; decimals?: boolean } = {}): FieldDef {
  return {
    name,
    label,
    value: value === null ? "" : String(value),
    display: opts.display,
    hint: opts.hint,
    kind: { type: "number", min: opts.min, max: opts.max, step: opts.decimals ? undefined : 1 },
    validate: (v) => {
      if (v.trim() === "") return undefined;
      const n = Number(v);
      if (!Number.isFinite(n)) return "Enter a number.";
      if (!opts.decimals && !Number.isInteger(n)) return "Enter a whole number.";
      if (opts.min !== undefined && n < opts.min) return `Enter ${opts.min} or more.`;
      if (opts.max !== undefined && n > opts.max) return `Enter ${opts.max} or less.`;
      return undefined;
    },
    toPatch: (v) => ({ [name]: v.trim() === "" ? null : Number(v) }),
  };
}

const select = (name: string, label: string, value: string | null, options: readonly { value: string; label: string }[], display: ReactNode, allowEmpty?: string): FieldDef => ({
  name,
  label,
  value: value ?? "",
  display,
  kind: { type: "select", options, allowEmpty },
  toPatch: (v) => ({ [name]: orNull(v) }),
});

const dateField = (name: string, label: string, value: string | null): FieldDef => ({
  name,
  label,
  value: value ?? "",
  display: value ? formatDateOnly(value) : null,
  kind: { type: "date" },
  toPatch: (v) => ({ [name]: orNull(v) }),
});

const webLink = (url: string) => ({ href: /^https?:\/\//i.test(url) ? url : `https://${url}`, label: `Visit ${url}`, external: true });
const YES_NO = [{ value: "true", label: "Yes" }, { value: "false", label: "No" }];

type Rec = Record<string, unknown> & { related?: Record<string, unknown> };

/** A declared (core) field's editor, by its type; owner and account get their pickers. */
function coreField(decl: EntityDecl, key: string, f: FieldDecl, record: Rec, ctx: FieldContext): FieldDef | null {
  const v = record[key] as never;
  if (key === "ownerId") return owner(v, ctx);
  if (key === "accountId") return account(v, (record.related?.account as { id: string; name: string } | null) ?? null, ctx);
  const currency = (record.currency as string | null) ?? "USD";
  switch (f.type) {
    case "money":
      return money(key, f.label.replace(/ \(.*\)$/, ""), v, currency);
    case "number":
    case "percent":
      return int(key, f.label, v, { min: f.min ?? (f.type === "percent" ? 0 : undefined), max: f.max ?? (f.type === "percent" ? 100 : undefined) });
    case "long_text":
      return longText(key, f.label, v, f.max);
    case "date":
      return dateField(key, f.label, v);
    case "single_select": {
      const writable = (f.inputOptions ?? f.options?.map((o) => o.value) ?? []).map((value) => ({ value, label: f.options?.find((o) => o.value === value)?.label ?? value }));
      return { ...select(key, f.label, v, writable, fieldDisplay(f, v)), toPatch: (x) => ({ [key]: x }) };
    }
    case "checkbox":
      return { ...select(key, f.label, v === null || v === undefined ? null : String(v), YES_NO, fieldDisplay(f, v)), toPatch: (x) => ({ [key]: x === "" ? null : x === "true" }) };
    case "email":
      return { ...text(key, f.label, v, { type: "email", maxLength: f.max }), link: v ? { href: `mailto:${v}`, label: `Write to ${v}` } : undefined };
    case "url":
      return { ...text(key, f.label, v, { type: "url", maxLength: f.max }), link: v ? webLink(v) : undefined };
    case "phone":
      return text(key, f.label, v, { type: "tel", maxLength: f.max });
    case "text":
      if (f.currency) {
        return {
          ...text(key, f.label, v, { maxLength: 3 }),
          validate: (x) => (x.trim() && !/^[A-Za-z]{3}$/.test(x.trim()) ? "Use a 3-letter ISO code such as USD or EUR." : undefined),
          toPatch: (x) => ({ [key]: x.trim() ? x.trim().toUpperCase() : null }),
        };
      }
      return text(key, f.label, v, { required: f.required, maxLength: f.max });
    default:
      return null;
  }
}

const recordSearch = (type: SearchType) => async (q: string, signal: AbortSignal): Promise<RecordOption[]> => {
  if (!q.trim()) return [];
  const res = await searchRecords(q, { signal, limit: 8, types: [type] });
  return res.groups.flatMap((g) => g.items.map((i) => ({ id: i.id, name: i.title, hint: i.subtitle ?? undefined })));
};

/**
 * A custom field's editor, by its type. It edits `custom.<key>` and a save sends `{ custom: { <key>: value } }`
 * (the server merges it into the record's other custom values and validates it against the field's type).
 */
export function customField(m: FieldMeta, custom: Record<string, unknown>, ctx: FieldContext & { currency?: string | null }): FieldDef {
  const name = `custom.${m.key}`;
  const v = custom[m.key] as never;
  const shown = fieldDisplay(m, v, { currency: ctx.currency, nameOf: ctx.nameOf });
  const base = ((): FieldDef => {
    switch (m.type) {
      case "long_text":
        return longText(name, m.label, v);
      case "number":
        return int(name, m.label, v, { decimals: true });
      case "percent":
        return int(name, m.label, v, { min: 0, max: 100, decimals: true, display: shown });
      case "money":
        return money(name, m.label, v, ctx.currency ?? "USD");
      case "date":
        return dateField(name, m.label, v);
      case "datetime":
        return {
          ...text(name, m.label, v, { display: shown }),
          validate: (x) => (x.trim() && Number.isNaN(Date.parse(x)) ? "Enter a date and time, e.g. 2027-03-01T09:30:00Z." : undefined),
          toPatch: (x) => ({ [name]: x.trim() ? new Date(x).toISOString() : null }),
        };
      case "checkbox":
        return { ...select(name, m.label, v === null || v === undefined ? null : String(v), YES_NO, shown, "—"), toPatch: (x) => ({ [name]: x === "" ? null : x === "true" }) };
      case "single_select":
        return select(name, m.label, v, m.options ?? [], shown, "—");
      case "multi_select": {
        const values = Array.isArray(v) ? (v as string[]) : [];
        const labelOf = (x: string) => m.options?.find((o) => o.value === x)?.label ?? x;
        const valueOf = (label: string) => m.options?.find((o) => o.label.toLowerCase() === label.toLowerCase() || o.value === label)?.value;
        const parts = (x: string) => x.split(",").map((p) => p.trim()).filter(Boolean);
        return {
          name,
          label: m.label,
          value: values.map(labelOf).join(", "),
          display: shown,
          kind: { type: "text", maxLength: 2000 },
          hint: `Comma-separated: ${(m.options ?? []).map((o) => o.label).join(", ")}`,
          validate: (x) => {
            const unknown = parts(x).filter((p) => !valueOf(p));
            return unknown.length ? `Not an option: ${unknown.join(", ")}` : undefined;
          },
          toPatch: (x) => ({ [name]: parts(x).map((p) => valueOf(p)!) }),
        };
      }
      case "user":
        return select(name, m.label, v, ctx.users.filter((u) => u.active || u.id === v).map((u) => ({ value: u.id, label: u.name })), shown, "—");
      case "record_link": {
        const target = (m.target ?? "account") as SearchType;
        return {
          name,
          label: m.label,
          value: v ?? "",
          display: shown,
          link: v ? { href: recordPath(target, v), label: `Open the linked ${target}` } : undefined,
          kind: { type: "record", search: recordSearch(target), current: null },
          toPatch: (x) => ({ [name]: orNull(x) }),
        };
      }
      case "email":
        return { ...text(name, m.label, v, { type: "email" }), link: v ? { href: `mailto:${v}`, label: `Write to ${v}` } : undefined };
      case "url":
        return { ...text(name, m.label, v, { type: "url" }), link: v ? webLink(v) : undefined };
      case "phone":
        return text(name, m.label, v, { type: "tel", maxLength: 50 });
      default:
        return text(name, m.label, v);
    }
  })();
  return {
    ...base,
    display: base.display ?? shown,
    hint: base.hint ?? m.helpText,
    toPatch: (x) => ({ custom: { [m.key]: base.toPatch(x)[name] ?? null } }),
  };
}

/** Tweaks a generic editor cannot know: a deal's probability defaults to its stage's; a converted lead keeps its status. */
function adjust(entity: RecordEntity, record: Rec, def: FieldDef): FieldDef {
  if (entity === "opportunities" && def.name === "probability") {
    const o = record as unknown as OpportunityDetail;
    return { ...def, display: o.probability === null ? `${o.related.stage?.probability ?? "—"}% (stage default)` : `${o.probability}%`, hint: "Empty uses the stage’s probability." };
  }
  if (entity === "leads" && def.name === "status") {
    const l = record as unknown as LeadDetail;
    const converted = l.status === "converted";
    return {
      ...def,
      display: LEAD_STATUS_LABEL[l.status],
      kind: converted ? { type: "select", options: [{ value: "converted", label: "Converted" }] } : def.kind,
      hint: converted ? "A converted lead keeps its status." : undefined,
    };
  }
  return def;
}

/**
 * The detail page's fields: the entity's declared fields marked for the detail page (domain/), then its custom fields
 * (GET /api/meta), long text last across the full width.
 */
export function fieldsFor<E extends RecordEntity>(entity: E, record: DetailByEntity[E], ctx: FieldContext): FieldDef[] {
  const decl = entityDecl(entity);
  const rec = record as unknown as Rec;
  const core = Object.entries(decl.fields)
    .filter(([, f]) => f.ui?.detail && !f.readOnly)
    .map(([key, f]) => coreField(decl, key, f, rec, ctx))
    .filter((d): d is FieldDef => d !== null)
    .map((d) => adjust(entity, rec, d));
  const custom = customFieldsOf(ctx.meta ?? null, decl.key).map((m) =>
    customField(m, (rec.custom as Record<string, unknown> | undefined) ?? {}, { ...ctx, currency: (rec.currency as string | null) ?? null }),
  );
  const all = [...core, ...custom];
  return [...all.filter((d) => !d.wide), ...all.filter((d) => d.wide)];
}
