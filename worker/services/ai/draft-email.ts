import { and, eq } from "drizzle-orm";
import { contacts } from "../../../db/schema";
import { buildContext } from "../../ai/context";
import { runAi } from "../../ai/engine";
import type { EmailDraftResult, EmailTone } from "../../schemas/ai";
import { activityLinks, type AiDeps } from "./deps";
import { enforceAiLimits } from "./limits";
import { recordUsage } from "./record-usage";
import { emailDraftResult } from "./results";
import { storeAiOutput } from "./store-output";

/**
 * Drafts an e-mail about a deal (to one of its contacts) or to a contact, grounded in the record's real history.
 * The draft is stored as an `ai_email_draft` activity with status "draft"; saving or sending it updates that.
 */
export async function draftEmail(
  deps: AiDeps,
  input: { opportunityId?: string; contactId?: string; intent: string; tone?: EmailTone; senderName: string | null },
): Promise<EmailDraftResult> {
  const { db, config, limiter, actor } = deps;
  await enforceAiLimits({ limiter, config, workspaceId: actor.workspaceId, userId: actor.userId });
  const target = input.opportunityId ? { type: "opportunity" as const, id: input.opportunityId } : { type: "contact" as const, id: input.contactId! };
  const ctx = await buildContext({
    db,
    workspaceId: actor.workspaceId,
    target,
    privateFields: config.AI_PRIVATE_FIELDS,
    extraContactId: input.opportunityId ? input.contactId : undefined,
  });
  const tone = input.tone ?? "friendly";
  const run = await runAi({ feature: "email_draft", ctx, args: { intent: input.intent, tone, toContactId: input.contactId ?? null, senderName: input.senderName }, config, interactive: true });
  try {
    // The recipient's address comes from the database, not the context: it may be private to the provider.
    // A recipient the user picked wins over the one the provider chose.
    const toId = input.contactId ?? run.output.toContactId;
    const [to] = toId
      ? await db.http.select({ id: contacts.id, name: contacts.name, email: contacts.email }).from(contacts).where(and(eq(contacts.id, toId), eq(contacts.workspaceId, actor.workspaceId)))
      : [];
    const row = await storeAiOutput(db.http, {
      actor,
      run,
      target: ctx.target,
      links: activityLinks(ctx, to?.id ?? null),
      subject: run.output.subject,
      body: run.output.body,
      extra: {
        intent: input.intent,
        tone,
        status: "draft",
        to: to ? { contactId: to.id, name: to.name ?? to.email ?? "", email: to.email } : null,
        emailActivityId: null,
      },
    });
    return emailDraftResult(row);
  } finally {
    await recordUsage({ db, limiter, workspaceId: actor.workspaceId, engine: run.engine });
  }
}
