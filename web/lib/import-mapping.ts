/*
 * The import wizard's guesses: which field a CSV column holds (from its header), which of our stages a CSV stage
 * value means, and the file's date format and amount unit. Pure functions: tests/node/import-mapping.test.ts.
 */
import { isUuid } from "../../worker/lib/uuid";

import { domain, type EntityPlural } from "../../domain";
import { IMPORT_ENTITIES, importFieldNames, importFieldsOf } from "../../domain/import";

export type ImportEntity = EntityPlural;

/** Fields a column may be mapped to, per entity, in the order the mapping selects list them (from domain/). */
export const IMPORT_FIELDS: Record<ImportEntity, readonly string[]> = importFieldNames();

/** Human labels for the mapping selects. */
export const FIELD_LABEL: Record<string, string> = Object.fromEntries(
  IMPORT_ENTITIES.flatMap((e) => importFieldsOf(e).map((f) => [f.name, f.label] as const)),
);

/** Header aliases per entity and field, as declared in domain/ ("company" is an account's name but a contact's account). */
const aliasesOf = (entity: ImportEntity, field: string): readonly string[] => importFieldsOf(entity).find((f) => f.name === field)?.aliases ?? [];

export function normalise(header: string): string {
  return header
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (!a.length || !b.length) return 0;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return 1 - prev[b.length]! / Math.max(a.length, b.length);
}

/** A workspace's custom field as a mapping target: `custom.<key>` with its label (from GET /api/meta). */
export interface CustomTarget {
  name: string;
  label: string;
}

/** How well `header` names `field` for `entity`: 1 exact, 0.95 synonym, else string similarity. */
function score(entity: ImportEntity, header: string, field: string, custom: readonly CustomTarget[] = []): number {
  const h = normalise(header);
  if (!h) return 0;
  if (h === normalise(field)) return 1;
  // A custom field is named by its label ("Segment") or its key ("segment"), with or without the "custom." prefix.
  const target = custom.find((c) => c.name === field);
  const synonyms = target ? [target.label, field.slice("custom.".length)].map(normalise) : aliasesOf(entity, field).map(normalise);
  if (synonyms.includes(h)) return 0.95;
  // "Work E-mail", "Primary email address": a synonym inside a longer header.
  if (synonyms.some((s) => s.length >= 4 && h.includes(s))) return 0.85;
  return Math.max(similarity(h, normalise(field)), ...synonyms.map((s) => similarity(h, s))) * 0.9;
}

/**
 * A suggested field for each header (or "" for none): the best-scoring pairs are taken first and each field is
 * used once, so "Company" becomes the account name for contacts but the name of an account import.
 */
export function suggestMapping(entity: ImportEntity, headers: string[], custom: readonly CustomTarget[] = []): Record<string, string> {
  const fields = [...IMPORT_FIELDS[entity], ...custom.map((c) => c.name)];
  const pairs: { header: string; field: string; score: number }[] = [];
  for (const header of headers) for (const field of fields) pairs.push({ header, field, score: score(entity, header, field, custom) });
  pairs.sort((a, b) => b.score - a.score);
  const mapping: Record<string, string> = Object.fromEntries(headers.map((h) => [h, ""]));
  const usedFields = new Set<string>();
  const usedHeaders = new Set<string>();
  for (const p of pairs) {
    if (p.score < 0.75) break;
    if (usedFields.has(p.field) || usedHeaders.has(p.header)) continue;
    mapping[p.header] = p.field;
    usedFields.add(p.field);
    usedHeaders.add(p.header);
  }
  return mapping;
}

/** What the mapping still lacks before the server can create anything; null when it is complete enough. */
export function mappingProblem(entity: ImportEntity, mapping: Record<string, string>): string | null {
  const mapped = Object.values(mapping).filter(Boolean);
  const has = (f: string) => mapped.includes(f);
  const dup = mapped.find((f, i) => mapped.indexOf(f) !== i);
  if (dup) return `Two columns are mapped to “${FIELD_LABEL[dup] ?? dup}”: choose one.`;
  if ((entity === "accounts" || entity === "opportunities") && !has("name") && !has("externalId")) return "Map a column to Name.";
  if ((entity === "contacts" || entity === "leads") && !has("name") && !has("firstName") && !has("lastName") && !has("email") && !has("externalId")) {
    return "Map a column to Name (or First/Last name, or Email).";
  }
  return null;
}

export interface StageOption {
  name: string;
  kind: "open" | "won" | "lost";
}

/** Our stage for a CSV stage value: same name, else the closed stage a "Closed - Won"/"Lost" value means. */
export function suggestStage(value: string, stages: StageOption[]): string {
  const v = normalise(value);
  if (!v) return "";
  const exact = stages.find((s) => normalise(s.name) === v);
  if (exact) return exact.name;
  if (/won|win|signed|closedwon/.test(v)) return stages.find((s) => s.kind === "won")?.name ?? "";
  if (/lost|lose|dead|closedlost|churn/.test(v)) return stages.find((s) => s.kind === "lost")?.name ?? "";
  const prefix = (a: string, b: string) => {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return i / Math.min(a.length, b.length);
  };
  const near = stages
    .map((s) => {
      const n = normalise(s.name);
      // "Qualify" → "Qualification", "Nego" → "Negotiation": a shared stem counts as much as containment.
      const stem = Math.min(v.length, n.length) >= 4 && prefix(v, n) >= 0.8 ? 0.8 : 0;
      return { s, score: Math.max(similarity(v, n), n.includes(v) || v.includes(n) ? 0.8 : 0, stem) };
    })
    .sort((a, b) => b.score - a.score)[0];
  return near && near.score >= 0.7 ? near.s.name : "";
}

export type DateFormat = "YYYY-MM-DD" | "M/D/YYYY" | "D/M/YYYY";

/** The date format the sample values are in, and whether the sample was enough to be sure. */
export function detectDateFormat(values: string[]): { format: DateFormat; certain: boolean } {
  const dates = values.map((v) => v.trim()).filter(Boolean);
  if (dates.length === 0 || dates.every((d) => /^\d{4}-\d{1,2}-\d{1,2}/.test(d))) return { format: "YYYY-MM-DD", certain: dates.length > 0 };
  let firstOver12 = false;
  let secondOver12 = false;
  for (const d of dates) {
    const m = /^(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}$/.exec(d);
    if (!m) continue;
    if (Number(m[1]) > 12) firstOver12 = true;
    if (Number(m[2]) > 12) secondOver12 = true;
  }
  if (firstOver12 && !secondOver12) return { format: "D/M/YYYY", certain: true };
  if (secondOver12 && !firstOver12) return { format: "M/D/YYYY", certain: true };
  return { format: "M/D/YYYY", certain: false };
}

/**
 * Whether amounts are in major units ("12,500.00", "$12,500") or minor units (integer cents, as our own export
 * writes them). A file with our exact export headers is minor; otherwise spreadsheets mean major units.
 */
export function detectAmountUnit(headers: string[], amountValues: string[]): "major" | "minor" {
  const looksLikeOurExport = headers.includes("externalId") && headers.includes("amount") && headers.includes("currency");
  if (looksLikeOurExport && amountValues.every((v) => /^\d*$/.test(v.trim()))) return "minor";
  return "major";
}

export type DuplicateMode = "update" | "skip" | "create";
export type ImportOption = "createMissingAccounts" | "dateFormat" | "amountUnit" | "currency";

/**
 * Options that mean something for each entity: mirrors `entityOptions` in worker/schemas/import-export.ts (a node
 * test checks they agree). The wizard sends and shows only these, so it never sends a contacts import a currency.
 */
export const ENTITY_OPTIONS: Record<ImportEntity, readonly ImportOption[]> = {
  accounts: ["amountUnit", "currency"],
  contacts: ["createMissingAccounts"],
  leads: [],
  opportunities: ["createMissingAccounts", "dateFormat", "amountUnit", "currency"],
};

/** How each entity's rows are matched to existing records, in order (declared in domain/). */
export const MATCH_KEYS: Record<ImportEntity, readonly ("externalId" | "email" | "domain" | "name")[]> = {
  accounts: domain.account.matchKeys,
  contacts: domain.contact.matchKeys,
  leads: domain.lead.matchKeys,
  opportunities: domain.opportunity.matchKeys,
};

export const MATCH_KEY_LABEL = { externalId: "External ID", email: "e-mail", domain: "domain", name: "exact name" } as const;

export interface WizardChoices {
  dryRun: boolean;
  duplicates: DuplicateMode;
  importSessionId: string;
  mapped: (field: string) => boolean;
  dateFormat: DateFormat;
  amountUnit: "major" | "minor";
  currency: string;
  createMissingAccounts: boolean;
  valueMap: Record<string, Record<string, string>>;
}

/**
 * The options the wizard sends for `entity`: only those that apply to it, and of those only the ones the mapped
 * columns use (an account's currency only with a revenue or currency column; dates only with a close date).
 */
export function importOptionsFor(entity: ImportEntity, c: WizardChoices): Record<string, unknown> {
  const applies = new Set(ENTITY_OPTIONS[entity]);
  const hasMoney = c.mapped("amount") || c.mapped("annualRevenue") || c.mapped("currency");
  const options: Record<string, unknown> = { dryRun: c.dryRun, duplicates: c.duplicates, importSessionId: c.importSessionId, valueMap: c.valueMap };
  if (applies.has("dateFormat") && c.mapped("closeDate")) options.dateFormat = c.dateFormat;
  if (applies.has("amountUnit") && hasMoney) options.amountUnit = c.amountUnit;
  // Every deal has a currency, so a deals file without one takes the chosen default.
  if (applies.has("currency") && (hasMoney || entity === "opportunities")) options.currency = c.currency;
  if (applies.has("createMissingAccounts") && c.mapped("accountName")) options.createMissingAccounts = c.createMissingAccounts;
  return options;
}

const SESSION_KEY = "bespoke.importSession";

/**
 * The import session of this browser tab (sessionStorage): consecutive imports share it, so a deals file names the
 * accounts the accounts file just created or matched even where older accounts share their names.
 */
export function importSessionId(): string {
  try {
    const known = window.sessionStorage.getItem(SESSION_KEY);
    if (known && isUuid(known)) return known;
    const id = newUuid();
    window.sessionStorage.setItem(SESSION_KEY, id);
    return id;
  } catch {
    return newUuid();
  }
}

function newUuid(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // crypto.randomUUID needs a secure context; a plain-http intranet deployment still gets a v4 UUID.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
