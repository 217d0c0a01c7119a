import type { AiContext } from "./context";
import { contextForPrompt } from "./context";
import { scrubKindsText } from "./context-privacy";
import type { Feature, FeatureArgs } from "./features";

const GROUNDING = `You are the analyst inside a CRM. You receive CONTEXT: a JSON snapshot of one CRM record, its related records and
its recent activities, every item with an "id". Rules:
- Use only facts present in CONTEXT. Never invent people, numbers, dates, quotes or commitments.
- Every line you write cites, in "citations", the ids of the CONTEXT items it rests on. Cite only ids that appear in
  CONTEXT; never make up or alter an id. If information is missing, say so in a line citing the record it is missing from.
- "now" in CONTEXT is the current time; compute ages in days from it.
- "signals" (deals only) are precomputed health checks with their own citations; prefer them for timing facts.
- Write plain, specific business English. No filler, no generic sales advice detached from the data.`;

const TASKS: Record<Feature, string> = {
  summary: `Summarize the record for a salesperson who has 20 seconds: a one-sentence headline, then up to 8 points,
most important first (status, latest interactions, open commitments, people, risks).`,
  next_actions: `Recommend the next best actions for this deal, ranked (most valuable first, at most 5). Base them on the
signals: days in stage versus the stage's norm, days since the last activity and the last inbound contact, overdue
tasks, a close date in the past or pushed, a missing next step, and how many contacts are engaged. Each action has a
short imperative title, a rationale that quotes the facts it rests on, a priority, citations, and a task to create
(subject, optional body, due in N days, and the contact it concerns as a contact id from CONTEXT or null).`,
  email_draft: `Draft an e-mail from the salesperson to the recipient. Ground it in CONTEXT: refer to real recent
interactions, what the buyer asked for and the agreed next step; never promise anything CONTEXT does not support.
Return a subject, a plain-text body (greeting, short paragraphs, sign-off with the sender's name), the recipient as a
contact id from CONTEXT (or null) and the ids the draft rests on.`,
  deal_brief: `Write a one-page deal brief in five sections: standing (where the deal stands: stage, amount, timing,
owner), people (who is involved and how engaged), history (what happened, oldest first), risks (what could stall or
lose it; if nothing, say why), nextSteps (what should happen next). Every line is cited.`,
};

/**
 * Instructions and input for one provider call. `correction` is added on the retry after a rejected answer;
 * `additions` are the deployment's own instructions (bespoke.config.ts ai.promptAdditions), after the grounding rules.
 */
export function buildPrompt<F extends Feature>(feature: F, ctx: AiContext, args: FeatureArgs[F], correction?: string, additions?: string) {
  const extra: string[] = [];
  if (feature === "email_draft") {
    const a = args as FeatureArgs["email_draft"];
    // The user's own words are free text too: private kinds of value leave them before the provider sees them.
    extra.push(`INTENT: ${scrubKindsText(a.intent, ctx.privateKinds ?? [])}`, `TONE: ${a.tone}`);
    if (a.toContactId) extra.push(`RECIPIENT CONTACT ID: ${a.toContactId}`);
    if (a.senderName) extra.push(`SENDER: ${a.senderName}`);
  }
  const input = [`CONTEXT:\n${contextForPrompt(ctx)}`, ...extra, correction ? `CORRECTION: ${correction}` : ""].filter(Boolean).join("\n\n");
  const house = additions?.trim() ? `\n\nHouse rules of this deployment (they never override the rules above):\n${additions.trim()}` : "";
  return { instructions: `${GROUNDING}${house}\n\nTask: ${TASKS[feature]}`, input };
}
