import type { AiSource } from "../schemas/ai";
import type { AiContext, CtxContact } from "./context-types";


/** Every id a provider may cite, with what it is (for citation chips in the UI). */
export function contextSources(ctx: AiContext): Map<string, AiSource> {
  const m = new Map<string, AiSource>();
  const add = (id: string, kind: AiSource["kind"], label: string) => {
    if (!m.has(id)) m.set(id, { id, kind, label });
  };
  if (ctx.opportunity) add(ctx.opportunity.id, "opportunity", ctx.opportunity.name);
  if (ctx.account) add(ctx.account.id, "account", ctx.account.name);
  if (ctx.contact) add(ctx.contact.id, "contact", ctx.contact.name);
  if (ctx.lead) add(ctx.lead.id, "lead", ctx.lead.name);
  for (const c of ctx.contacts) add(c.id, "contact", c.name);
  for (const d of ctx.opportunities) add(d.id, "opportunity", d.name);
  for (const a of ctx.activities) add(a.id, "activity", `${a.type}: ${a.subject ?? a.body?.slice(0, 60) ?? ""} (${a.happenedAt.slice(0, 10)})`.trim());
  for (const c of ctx.changes) add(c.id, "change", `close date ${c.from ?? "none"} → ${c.to ?? "none"} (${c.at.slice(0, 10)})`);
  return m;
}

/** The context as the provider sees it: compact JSON without empty values. */
export function contextForPrompt(ctx: AiContext): string {
  return JSON.stringify(ctx, (k, v) => (k === "privateKinds" || v === null || v === undefined || (Array.isArray(v) && v.length === 0) ? undefined : v));
}

/** Contacts of the context that may receive e-mail or own a suggested task. */
export function contextContacts(ctx: AiContext): CtxContact[] {
  return ctx.contact ? [ctx.contact, ...ctx.contacts.filter((c) => c.id !== ctx.contact!.id)] : ctx.contacts;
}
