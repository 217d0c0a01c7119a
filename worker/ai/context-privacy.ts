import { domain } from "../../domain";
import type { EntityDecl } from "../../domain/field";
import type { AiContext, PrivateField, PrivateKind } from "./context-types";

/**
 * Removes configured private fields from every record of that entity in the context, then scrubs their values
 * from all remaining text (a mobile number pasted into a call note must not leak either), and every value of a
 * private kind (any phone number, however written; e-mail addresses when an e-mail field is private).
 */
export function applyPrivacy(ctx: AiContext, fields: PrivateField[]): void {
  ctx.privateKinds = privateKinds(fields);
  if (!fields.length) return;
  const removed: string[] = [];
  const strip = (obj: object | null | undefined, entity: string) => {
    if (!obj) return;
    const rec = obj as Record<string, unknown>;
    for (const f of fields) {
      if (f.entity !== entity) continue;
      // A custom field is named `custom.<key>` (configuration and the registry's private flag).
      if (f.field.startsWith("custom.")) {
        const custom = rec.custom as Record<string, unknown> | undefined;
        const key = f.field.slice("custom.".length);
        if (!custom || !(key in custom)) continue;
        const v = custom[key];
        if (typeof v === "string" && v.trim()) removed.push(v.trim());
        delete custom[key];
        continue;
      }
      if (!(f.field in rec) || f.field === "id") continue;
      const v = rec[f.field];
      if (typeof v === "string" && v.trim()) removed.push(v.trim());
      delete rec[f.field];
    }
  };
  strip(ctx.opportunity, "opportunity");
  for (const d of ctx.opportunities) strip(d, "opportunity");
  strip(ctx.account, "account");
  strip(ctx.contact, "contact");
  for (const c of ctx.contacts) strip(c, "contact");
  strip(ctx.lead, "lead");
  for (const a of ctx.activities) strip(a, "activity");
  const patterns = [...new Set(removed)].filter((v) => v.length >= 4).map(valuePattern);
  if (patterns.length) scrub(ctx, patterns);
  if (ctx.privateKinds.length) scrubKinds(ctx, ctx.privateKinds);
}

/** Phone-like values match with any separators between their digits; anything else matches literally. */
function valuePattern(v: string): RegExp {
  const digits = v.replace(/\D/g, "");
  if (digits.length >= 7 && digits.length >= v.replace(/[\s()+.-]/g, "").length) {
    return new RegExp(`\\+?${digits.split("").join("[\\s().-]*")}`, "g");
  }
  return new RegExp(v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi");
}

function scrub(node: unknown, patterns: RegExp[]): void {
  if (Array.isArray(node)) {
    node.forEach((v, i) => {
      if (typeof v === "string") node[i] = scrubText(v, patterns);
      else scrub(v, patterns);
    });
    return;
  }
  if (node && typeof node === "object") {
    const rec = node as Record<string, unknown>;
    for (const [k, v] of Object.entries(rec)) {
      if (typeof v === "string") rec[k] = scrubText(v, patterns);
      else scrub(v, patterns);
    }
  }
}

function scrubText(s: string, patterns: RegExp[]): string {
  let out = s;
  for (const p of patterns) out = out.replace(p, "[private]");
  return out;
}

// ---------- private kinds of value ----------

/**
 * A kind of value is private when a field of that type is: with a phone field private (the default:
 * contact.mobilePhone, contact.phone), every phone number in free text is, however it is written and whoever it
 * belongs to (a contact outside the context too); likewise e-mail addresses when an e-mail field is private.
 */
export function privateKinds(fields: PrivateField[]): PrivateKind[] {
  const kinds = new Set<PrivateKind>();
  for (const f of fields) {
    const type = f.type ?? (domain as unknown as Record<string, EntityDecl | undefined>)[f.entity]?.fields[f.field]?.type;
    if (type === "phone") kinds.add("phone");
    if (type === "email") kinds.add("email");
  }
  return [...kinds].sort();
}

/** A run of 7–15 digits with at most two separators between digits: "555 0916", "(555) 0216", "+44 20 7946 0958". */
const PHONE = /(?<![\w$€£¥+\-])\+?\(?\d(?:[ \t().\-]{0,2}\d){6,14}\)?(?![\w])/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/** Digit runs that read as dates or year ranges, not phone numbers. */
const NOT_PHONE = [/^\d{4}[-./]\d{1,2}[-./]\d{1,2}$/, /^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/, /^\d{4} ?- ?\d{4}$/];

function isPhone(m: string): boolean {
  const digits = m.replace(/\D/g, "").length;
  if (digits < 7 || digits > 15) return false;
  if (NOT_PHONE.some((r) => r.test(m))) return false;
  // A bare run of digits ("budget 1500000") is a number, unless it is long or starts with "+".
  return /[ \t().\-]/.test(m) || m.startsWith("+") || digits >= 10;
}

const UUID = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;

/** Replaces every value of the private kinds in a text (what a provider receives instead); ids are left alone. */
export function scrubKindsText(text: string, kinds: readonly PrivateKind[]): string {
  if (!kinds.length) return text;
  // Odd parts of the split are UUIDs ("12345678-1234-…" reads like a phone number otherwise).
  return text
    .split(UUID)
    .map((part, i) => {
      if (i % 2 === 1) return part;
      let out = part;
      if (kinds.includes("email")) out = out.replace(EMAIL, "[private]");
      if (kinds.includes("phone")) out = out.replace(PHONE, (m) => (isPhone(m) ? "[private]" : m));
      return out;
    })
    .join("");
}

/** Ids, timestamps and dates are structure, not free text: never rewritten. */
const STRUCTURAL = /^(id|now|type|kind|status|currency|citations)$|Ids?$|At$|Date$/;

function scrubKinds(node: unknown, kinds: PrivateKind[]): void {
  if (Array.isArray(node)) {
    node.forEach((v, i) => {
      if (typeof v === "string") node[i] = scrubKindsText(v, kinds);
      else scrubKinds(v, kinds);
    });
  } else if (node && typeof node === "object") {
    const rec = node as Record<string, unknown>;
    for (const [k, v] of Object.entries(rec)) {
      if (STRUCTURAL.test(k) || k === "privateKinds") continue;
      if (typeof v === "string") rec[k] = scrubKindsText(v, kinds);
      else scrubKinds(v, kinds);
    }
  }
}
