/*
 * The editable fields of each record type: how a value reads, how its editor starts, and the PATCH a saved
 * edit sends. Money is edited in major units and sent in minor units of the record's currency.
 */
import type { ReactNode } from "react";
import type { InlineFieldKind } from "../../components/detail/InlineField";
import type { RecordOption } from "../../components/RecordCombobox";
import { currencyFractionDigits, formatDateOnly, formatMoney, parseMoneyInput } from "../../lib/format";
import type { AccountDetail, ContactDetail, DetailByEntity, LeadDetail, OpportunityDetail, RecordEntity } from "../../lib/records";
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
const longText = (name: string, label: string, value: string | null): FieldDef => ({
  name,
  label,
  value: value ?? "",
  kind: { type: "textarea", maxLength: 10_000 },
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

function int(name: string, label: string, value: number | null, opts: { min?: number; max?: number; hint?: string; display?: ReactNode } = {}): FieldDef {
  return {
    name,
    label,
    value: value === null ? "" : String(value),
    display: opts.display,
    hint: opts.hint,
    kind: { type: "number", min: opts.min, max: opts.max, step: 1 },
    validate: (v) => {
      if (v.trim() === "") return undefined;
      const n = Number(v);
      if (!Number.isInteger(n)) return "Enter a whole number.";
      if (opts.min !== undefined && n < opts.min) return `Enter ${opts.min} or more.`;
      if (opts.max !== undefined && n > opts.max) return `Enter ${opts.max} or less.`;
      return undefined;
    },
    toPatch: (v) => ({ [name]: v.trim() === "" ? null : Number(v) }),
  };
}

export function fieldsFor<E extends RecordEntity>(entity: E, record: DetailByEntity[E], ctx: FieldContext): FieldDef[] {
  switch (entity) {
    case "accounts": {
      const a = record as AccountDetail;
      const currency = a.currency ?? "USD";
      return [
        text("name", "Name", a.name, { required: true, maxLength: 300 }),
        text("domain", "Domain", a.domain, { maxLength: 253 }),
        {
          ...text("website", "Website", a.website, { type: "url" }),
          link: a.website ? { href: /^https?:\/\//i.test(a.website) ? a.website : `https://${a.website}`, label: `Visit ${a.website}`, external: true } : undefined,
        },
        text("industry", "Industry", a.industry, { maxLength: 120 }),
        text("phone", "Phone", a.phone, { type: "tel", maxLength: 50 }),
        int("employees", "Employees", a.employees, { min: 0 }),
        money("annualRevenue", "Annual revenue", a.annualRevenue, currency),
        {
          ...text("currency", "Currency", a.currency, { maxLength: 3 }),
          validate: (v) => (v.trim() && !/^[A-Za-z]{3}$/.test(v.trim()) ? "Use a 3-letter ISO code such as USD or EUR." : undefined),
          toPatch: (v) => ({ currency: v.trim() ? v.trim().toUpperCase() : null }),
        },
        text("city", "City", a.city, { maxLength: 120 }),
        text("country", "Country", a.country, { maxLength: 120 }),
        owner(a.ownerId, ctx),
        longText("description", "Description", a.description),
      ];
    }
    case "contacts": {
      const c = record as ContactDetail;
      return [
        text("firstName", "First name", c.firstName, { maxLength: 150 }),
        text("lastName", "Last name", c.lastName, { maxLength: 150 }),
        text("title", "Title", c.title, { maxLength: 200 }),
        { ...text("email", "E-mail", c.email, { type: "email" }), link: c.email ? { href: `mailto:${c.email}`, label: `Write to ${c.email}` } : undefined },
        text("phone", "Phone", c.phone, { type: "tel", maxLength: 50 }),
        text("mobilePhone", "Mobile", c.mobilePhone, { type: "tel", maxLength: 50 }),
        account(c.accountId, c.related.account, ctx),
        owner(c.ownerId, ctx),
      ];
    }
    case "leads": {
      const l = record as LeadDetail;
      const converted = l.status === "converted";
      return [
        text("firstName", "First name", l.firstName, { maxLength: 150 }),
        text("lastName", "Last name", l.lastName, { maxLength: 150 }),
        text("title", "Title", l.title, { maxLength: 200 }),
        text("company", "Company", l.company, { maxLength: 300 }),
        text("email", "E-mail", l.email, { type: "email" }),
        text("phone", "Phone", l.phone, { type: "tel", maxLength: 50 }),
        {
          name: "status",
          label: "Status",
          value: l.status,
          display: LEAD_STATUS_LABEL[l.status],
          kind: converted
            ? { type: "select", options: [{ value: "converted", label: "Converted" }] }
            : { type: "select", options: (["new", "contacted", "qualified", "unqualified"] as const).map((s) => ({ value: s, label: LEAD_STATUS_LABEL[s] })) },
          toPatch: (v) => ({ status: v }),
          hint: converted ? "A converted lead keeps its status." : undefined,
        },
        text("source", "Source", l.source, { maxLength: 120 }),
        owner(l.ownerId, ctx),
        longText("description", "Description", l.description),
      ];
    }
    default: {
      const o = record as OpportunityDetail;
      return [
        text("name", "Name", o.name, { required: true, maxLength: 300 }),
        money("amount", "Amount", o.amount, o.currency),
        int("probability", "Probability (%)", o.probability, {
          min: 0,
          max: 100,
          display: o.probability === null ? `${o.related.stage?.probability ?? "—"}% (stage default)` : `${o.probability}%`,
          hint: "Empty uses the stage’s probability.",
        }),
        {
          name: "closeDate",
          label: "Close date",
          value: o.closeDate ?? "",
          display: o.closeDate ? formatDateOnly(o.closeDate) : null,
          kind: { type: "date" },
          toPatch: (v) => ({ closeDate: orNull(v) }),
        },
        account(o.accountId, o.related.account, ctx),
        owner(o.ownerId, ctx),
        text("nextStep", "Next step", o.nextStep, { maxLength: 500 }),
        text("source", "Source", o.source, { maxLength: 120 }),
        longText("description", "Description", o.description),
      ];
    }
  }
}
