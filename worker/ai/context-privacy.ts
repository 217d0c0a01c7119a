import type { AiContext, PrivateField } from "./context-types";


/**
 * Removes configured private fields from every record of that entity in the context, then scrubs their values
 * from all remaining text (a mobile number pasted into a call note must not leak either).
 */
export function applyPrivacy(ctx: AiContext, fields: PrivateField[]): void {
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
  if (!patterns.length) return;
  scrub(ctx, patterns);
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
