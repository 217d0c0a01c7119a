import { fieldValue } from "./subject";

/**
 * `{{record.name}}`, `{{record.custom.arr}}`, `{{rule.name}}` in task titles, notifications and e-mails. Unknown
 * placeholders render empty; values are text (money in minor units stays as stored).
 */
export function renderTemplate(template: string, ctx: { record: Record<string, unknown> | null; ruleName: string }): string {
  return template.replace(/\{\{\s*([a-zA-Z]+)\.([A-Za-z0-9_.]+)\s*\}\}/g, (_m, scope: string, path: string) => {
    if (scope === "rule") return path === "name" ? ctx.ruleName : "";
    if (scope !== "record" || !ctx.record) return "";
    const v = fieldValue(ctx.record, path);
    if (v === null || v === undefined) return "";
    return Array.isArray(v) ? v.join(", ") : typeof v === "object" ? JSON.stringify(v) : String(v);
  });
}
