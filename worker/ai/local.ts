import type { CitedLine, DealBriefOutput, DealSignal, EmailDraftOutput, NextActionsOutput, SummaryOutput } from "../schemas/ai";
import type { AiContext, CtxActivity, CtxContact, CtxDeal } from "./context";
import { contextContacts } from "./context";
import type { Feature, FeatureArgs, FeatureOutputs } from "./features";
import { ago, capitalize, day, daysBetween, daysPastDate, firstSentence, list, money, plural, sentence, typeWord } from "./format";
import { closeDatePushes, conversationsInStage, engagedContacts, isConversation, isInteraction, lastInbound, lastInteraction, openTasks, overdueTasks, stageEntry } from "./signals";

/**
 * The offline engine: answers every feature from the record's own data (fields, stage history, activities, tasks,
 * contacts) with fixed rules, so the same context always yields the same output and every line cites the rows it
 * was read from. It never invents facts; where data is missing it says so.
 */
export const LOCAL_PROVIDER = "local" as const;
export const LOCAL_MODEL = "bespoke-local-1";

export function localGenerate<F extends Feature>(feature: F, ctx: AiContext, args: FeatureArgs[F]): FeatureOutputs[F] {
  switch (feature) {
    case "summary":
      return summarize(ctx) as FeatureOutputs[F];
    case "next_actions":
      return nextActions(ctx) as FeatureOutputs[F];
    case "email_draft":
      return draftEmail(ctx, args as FeatureArgs["email_draft"]) as FeatureOutputs[F];
    case "deal_brief":
      return dealBrief(ctx) as FeatureOutputs[F];
  }
  throw new Error(`unknown feature ${String(feature)}`);
}

// ---------- helpers ----------

const uniq = (ids: (string | null | undefined)[]) => [...new Set(ids.filter((x): x is string => Boolean(x)))];
const line = (text: string, ...ids: (string | null | undefined)[]): CitedLine => ({ text: sentence(text), citations: uniq(ids) });
const first = (c: CtxContact | null | undefined) => c?.firstName?.trim() || c?.name || null;

function interactionText(a: CtxActivity, now: string): string {
  const d = daysBetween(a.happenedAt, now);
  const quote = firstSentence(a.body);
  const dir = [a.direction, a.outcome?.replace(/_/g, " ")].filter(Boolean).map((x) => `, ${x}`).join("");
  return `${typeWord(a.type)} ${ago(d)} (${day(a.happenedAt)}${dir}): "${a.subject ?? "untitled"}"${quote && quote !== a.subject ? ` — ${quote}` : ""}`;
}

function taskText(t: CtxActivity, now: string): string {
  if (!t.dueAt) return `Open task "${t.subject ?? "untitled"}", no due date`;
  const late = daysPastDate(t.dueAt, now);
  return `Open task "${t.subject ?? "untitled"}" due ${day(t.dueAt)}${late > 0 ? ` — ${plural(late, "day")} overdue` : ""}`;
}

function totals(deals: CtxDeal[]): string | null {
  const by = new Map<string, number>();
  for (const d of deals) if (d.amount != null) by.set(d.currency ?? "USD", (by.get(d.currency ?? "USD") ?? 0) + d.amount);
  if (!by.size) return null;
  return [...by.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([cur, amt]) => money(amt, cur)).join(" + ");
}

const primaryContact = (ctx: AiContext) => ctx.contacts.find((c) => c.isPrimary) ?? ctx.contacts[0] ?? null;
const economicBuyer = (ctx: AiContext) => ctx.contacts.find((c) => /econom|decision|budget|sponsor/i.test(c.role ?? "")) ?? ctx.contacts.find((c) => /cfo|ceo|vp|head|director/i.test(c.title ?? "")) ?? primaryContact(ctx);
const signal = (ctx: AiContext, key: DealSignal["key"]) => ctx.signals.find((s) => s.key === key);

function contactText(c: CtxContact, now: string): string {
  const what = [c.title, c.role].filter(Boolean).join(", ");
  const when = c.lastActivityAt ? `last involved ${ago(daysBetween(c.lastActivityAt, now))}` : "no logged activity";
  return `${c.name}${what ? ` (${what}${c.isPrimary ? ", primary" : ""})` : c.isPrimary ? " (primary)" : ""}: ${when}`;
}

// ---------- summaries ----------

function summarize(ctx: AiContext): SummaryOutput {
  switch (ctx.target.type) {
    case "opportunity":
      return opportunitySummary(ctx);
    case "account":
      return accountSummary(ctx);
    case "contact":
      return contactSummary(ctx);
    case "lead":
      return leadSummary(ctx);
  }
}

function dealHeadline(ctx: AiContext): CitedLine {
  const o = ctx.opportunity!;
  const amt = money(o.amount, o.currency);
  const acct = ctx.account ? ` (${ctx.account.name})` : "";
  if (o.stage.kind !== "open") {
    const entry = stageEntry(ctx);
    const reason = entry?.stageChange?.reason;
    const verb = o.stage.kind === "won" ? "won" : "lost";
    return line(`${o.name}${acct}: ${verb}${o.closedAt ? ` on ${day(o.closedAt)}` : ""}${amt ? `, ${amt}` : ""}${reason ? ` — ${reason}` : ""}`, o.id, ctx.account?.id, entry?.id);
  }
  return line(
    `${o.name}${acct}: ${amt ?? "no amount yet"} in ${o.stage.name} (${o.probability}% probability), ${o.closeDate ? `closing ${o.closeDate}` : "no close date"}${o.owner ? `; owner ${o.owner.name}` : ""}.`,
    o.id,
    ctx.account?.id,
  );
}

function opportunitySummary(ctx: AiContext): SummaryOutput {
  const o = ctx.opportunity!;
  const points: CitedLine[] = [];
  const stage = signal(ctx, "stage_age");
  if (stage && o.stage.kind === "open") points.push(line(`${stage.detail}`, ...stage.citations));
  const recent = ctx.activities.filter(isInteraction).slice(0, 2);
  for (const a of recent) points.push(line(`${interactionText(a, ctx.now)}`, a.id));
  const inbound = lastInbound(ctx);
  if (inbound && !recent.includes(inbound)) points.push(line(`Last inbound: ${interactionText(inbound, ctx.now)}`, inbound.id));
  if (!recent.length) points.push(line("No call, e-mail, meeting or note has been logged on this deal.", o.id));
  for (const t of openTasks(ctx).slice(0, 2)) points.push(line(`${taskText(t, ctx.now)}`, t.id));
  if (ctx.contacts.length) {
    points.push(line(`Buying committee: ${ctx.contacts.slice(0, 4).map((c) => contactText(c, ctx.now)).join("; ")}`, ...ctx.contacts.slice(0, 4).map((c) => c.id)));
  } else {
    points.push(line("No contacts are linked to this deal.", o.id));
  }
  const pushes = closeDatePushes(ctx);
  if (pushes.length) points.push(line(`Close date pushed ${plural(pushes.length, "time")}: ${[pushes[0]!.from!, ...pushes.map((p) => p.to!)].join(" → ")}`, o.id, ...pushes.map((p) => p.id)));
  if (o.stage.kind === "open") {
    points.push(o.nextStep?.trim() ? line(`Next step on record: ${o.nextStep.trim()}`, o.id) : line("No next step is recorded on the deal.", o.id));
  }
  const move = ctx.activities.find((a) => a.type === "stage_change");
  if (move?.stageChange && points.length < 10) {
    const s = move.stageChange;
    points.push(line(`Last stage move ${day(move.happenedAt)}: ${s.fromStage ?? "?"} → ${s.toStage ?? "?"}${s.reason ? ` (${s.reason})` : ""}`, move.id));
  }
  return { headline: dealHeadline(ctx), points: points.slice(0, 10) };
}

function accountSummary(ctx: AiContext): SummaryOutput {
  const a = ctx.account!;
  const open = ctx.opportunities.filter((d) => d.stageKind === "open");
  const won = ctx.opportunities.filter((d) => d.stageKind === "won");
  const lost = ctx.opportunities.filter((d) => d.stageKind === "lost");
  const where = [a.industry, a.city].filter(Boolean).join(", ");
  const openTotal = totals(open);
  const headline = line(
    `${a.name}${where ? ` (${where})` : ""}: ${plural(open.length, "open deal")}${openTotal ? ` worth ${openTotal}` : ""}, ${plural(ctx.contacts.length, "contact")}${a.owner ? `; owner ${a.owner.name}` : ""}.`,
    a.id,
    ...open.slice(0, 6).map((d) => d.id),
  );
  const points: CitedLine[] = [];
  for (const d of open.slice(0, 4)) {
    const amt = money(d.amount, d.currency);
    points.push(line(`${d.name}: ${amt ?? "no amount"} in ${d.stage} (${d.probability}%)${d.closeDate ? `, closing ${d.closeDate}` : ""}${d.nextStep ? `; next step: ${d.nextStep}` : ""}`, d.id));
  }
  if (won.length) points.push(line(`Won so far: ${plural(won.length, "deal")}${totals(won) ? ` worth ${totals(won)}` : ""}`, ...won.slice(0, 6).map((d) => d.id)));
  if (lost.length) points.push(line(`Lost: ${plural(lost.length, "deal")} (${list(lost.slice(0, 3).map((d) => d.name))})`, ...lost.slice(0, 3).map((d) => d.id)));
  for (const act of ctx.activities.filter(isInteraction).slice(0, 2)) points.push(line(`${interactionText(act, ctx.now)}`, act.id));
  for (const t of openTasks(ctx).slice(0, 2)) points.push(line(`${taskText(t, ctx.now)}`, t.id));
  if (ctx.contacts.length) {
    const key = [...ctx.contacts].sort((x, y) => (y.lastActivityAt ?? "").localeCompare(x.lastActivityAt ?? "") || x.id.localeCompare(y.id)).slice(0, 3);
    points.push(line(`Key contacts: ${key.map((c) => contactText(c, ctx.now)).join("; ")}`, ...key.map((c) => c.id)));
  }
  const about = firstSentence(a.description);
  if (about) points.push(line(`About: ${about}`, a.id));
  if (!points.length) points.push(line(`No deals, contacts or activities are recorded for ${a.name} yet`, a.id));
  return { headline, points: points.slice(0, 10) };
}

function contactSummary(ctx: AiContext): SummaryOutput {
  const c = ctx.contact!;
  const last = lastInteraction(ctx);
  const headline = line(
    `${c.name}${c.title ? `, ${c.title}` : ""}${c.accountName ? ` at ${c.accountName}` : ""}: involved in ${plural(ctx.opportunities.length, "deal")}, ${last ? `last activity ${ago(daysBetween(last.happenedAt, ctx.now))}` : "no activity logged yet"}.`,
    c.id,
    ctx.account?.id,
    last?.id,
  );
  const points: CitedLine[] = [];
  for (const d of ctx.opportunities.slice(0, 4)) {
    const amt = money(d.amount, d.currency);
    points.push(line(`${d.role ?? "Involved"} on ${d.name}: ${d.stage}${amt ? `, ${amt}` : ""}${d.stageKind === "open" && d.closeDate ? `, closing ${d.closeDate}` : ""}`, d.id));
  }
  const recent = ctx.activities.filter(isInteraction).slice(0, 3);
  for (const a of recent) points.push(line(`${interactionText(a, ctx.now)}`, a.id));
  const inbound = lastInbound(ctx);
  if (inbound && !recent.includes(inbound)) points.push(line(`Last inbound: ${interactionText(inbound, ctx.now)}`, inbound.id));
  for (const t of openTasks(ctx).slice(0, 2)) points.push(line(`${taskText(t, ctx.now)}`, t.id));
  if (!points.length) points.push(line(`No deals or activities involve ${c.name} yet`, c.id));
  return { headline, points: points.slice(0, 10) };
}

function leadSummary(ctx: AiContext): SummaryOutput {
  const l = ctx.lead!;
  const age = daysBetween(l.createdAt, ctx.now);
  const headline = line(
    `${l.name || "Unnamed lead"}${l.title ? `, ${l.title}` : ""}${l.company ? ` at ${l.company}` : ""}: ${l.status} lead${l.source ? ` from ${l.source}` : ""}, created ${ago(age)}${l.owner ? `; owner ${l.owner.name}` : ""}.`,
    l.id,
  );
  const points: CitedLine[] = [];
  const about = firstSentence(l.description);
  if (about) points.push(line(`About: ${about}`, l.id));
  const recent = ctx.activities.filter(isInteraction).slice(0, 3);
  for (const a of recent) points.push(line(`${interactionText(a, ctx.now)}`, a.id));
  for (const t of openTasks(ctx).slice(0, 2)) points.push(line(`${taskText(t, ctx.now)}`, t.id));
  if (!recent.length) points.push(line(`No call, e-mail, meeting or note logged since the lead was created on ${day(l.createdAt)}`, l.id));
  return { headline, points: points.slice(0, 10) };
}

// ---------- next best actions ----------

type Action = NextActionsOutput["actions"][number];
const PRIORITY = { high: 3, medium: 2, low: 1 } as const;

/** What moving a deal out of a stage usually takes, by the stage's name; custom stages get a neutral phrasing. */
function stageMove(stageName: string): string {
  const s = stageName.toLowerCase();
  if (/prospect|lead|new/.test(s)) return "Book a discovery call";
  if (/qualif|discover/.test(s)) return "Confirm budget, decision process and timeline";
  if (/demo|evaluat|trial|pilot/.test(s)) return "Agree success criteria for the evaluation";
  if (/proposal|quote|offer/.test(s)) return "Walk through the proposal";
  if (/negotiat|contract|legal|procure/.test(s)) return "Agree final terms and a signing date";
  return `Agree what it takes to leave ${stageName}`;
}

/**
 * The move out of the deal's stage, minus what already happened: a discovery call held in this stage is not booked
 * again; its follow-up is the move (citing the call).
 */
function nextMove(ctx: AiContext): { text: string; cites: string[] } {
  const o = ctx.opportunity!;
  const move = stageMove(o.stage.name);
  const held = conversationsInStage(ctx)[0];
  if (move === "Book a discovery call" && held) {
    return { text: `Follow up on the ${typeWord(held.type).toLowerCase()} of ${day(held.happenedAt)}: confirm budget, decision process and timeline`, cites: [held.id] };
  }
  return { text: move, cites: [] };
}

function nextActions(ctx: AiContext): NextActionsOutput {
  const o = ctx.opportunity!;
  const primary = primaryContact(ctx);
  const buyer = economicBuyer(ctx);
  const who = first(primary) ?? "the buyer";
  const nextStage = ctx.stages.filter((s) => s.kind === "open" && s.position > o.stage.position).sort((a, b) => a.position - b.position)[0];
  const candidates: Action[] = [];
  const add = (a: Omit<Action, "citations"> & { citations: (string | null | undefined)[] }) => candidates.push({ ...a, citations: uniq(a.citations) });

  if (o.stage.kind !== "open") {
    const entry = stageEntry(ctx);
    if (o.stage.kind === "won") {
      add({
        title: `Kick off onboarding with ${who}`,
        rationale: `Won${o.closedAt ? ` on ${day(o.closedAt)}` : ""}${money(o.amount, o.currency) ? ` (${money(o.amount, o.currency)})` : ""}${entry?.stageChange?.reason ? `: ${entry.stageChange.reason}` : ""}. Hand the account over while the buying decision is fresh.`,
        priority: "medium",
        citations: [o.id, entry?.id, primary?.id],
        task: { subject: `Kick-off call with ${primary?.name ?? "the customer"}`, body: null, dueInDays: 3, contactId: primary?.id ?? null },
      });
    } else {
      add({
        title: "Schedule a win-back check-in",
        rationale: `Lost${o.closedAt ? ` on ${day(o.closedAt)}` : ""}${entry?.stageChange?.reason ? `: ${entry.stageChange.reason}` : ""}. A check-in after a quarter finds out whether the reason still holds.`,
        priority: "low",
        citations: [o.id, entry?.id],
        task: { subject: `Check in with ${primary?.name ?? "the buyer"} on ${o.name}`, body: null, dueInDays: 90, contactId: primary?.id ?? null },
      });
    }
    return { actions: candidates };
  }

  const move = nextMove(ctx);
  // 1. The buyer reached out last: a call or meeting that took place wants a recap, a missed call a call back, a
  // message an answer.
  const inbound = lastInbound(ctx);
  const latest = lastInteraction(ctx);
  let answersBuyer = false;
  if (inbound && latest && latest.id === inbound.id) {
    answersBuyer = true;
    const d = daysBetween(inbound.happenedAt, ctx.now);
    const from = ctx.contacts.find((c) => c.id === inbound.contactId) ?? primary;
    const spoken = inbound.type === "call" || inbound.type === "meeting";
    const what = `${typeWord(inbound.type).toLowerCase()} of ${day(inbound.happenedAt)}`;
    if (spoken && isConversation(inbound)) {
      add({
        title: `Send ${first(from) ?? "the buyer"} a recap of the ${what}`,
        rationale: `${first(from) ?? "The buyer"} reached out and you spoke ${ago(d)}: "${inbound.subject ?? "untitled"}"${firstSentence(inbound.body) ? ` — ${firstSentence(inbound.body)}` : ""}. Confirm what was agreed while it is fresh.`,
        priority: d >= 2 ? "high" : "medium",
        citations: [inbound.id, from?.id],
        task: { subject: `Recap to ${from?.name ?? "the buyer"}: ${inbound.subject ?? typeWord(inbound.type)}`, body: firstSentence(inbound.body, 300), dueInDays: 0, contactId: from?.id ?? null },
      });
    } else if (spoken) {
      add({
        title: `Call ${first(from) ?? "the buyer"} back about the missed ${what}`,
        rationale: `${first(from) ?? "The buyer"} tried to reach you ${ago(d)} (${(inbound.outcome ?? "missed").replace(/_/g, " ")}): "${inbound.subject ?? "untitled"}".`,
        priority: "high",
        citations: [inbound.id, from?.id],
        task: { subject: `Call back ${from?.name ?? "the buyer"}`, body: firstSentence(inbound.body, 300), dueInDays: 0, contactId: from?.id ?? null },
      });
    } else add({
      title: `Reply to ${first(from) ?? "the buyer"}'s ${typeWord(inbound.type).toLowerCase()} of ${day(inbound.happenedAt)}`,
      rationale: `The latest interaction is inbound and unanswered (${ago(d)}): "${inbound.subject ?? "untitled"}"${firstSentence(inbound.body) ? ` — ${firstSentence(inbound.body)}` : ""}`,
      priority: d >= 2 ? "high" : "medium",
      citations: [inbound.id, from?.id],
      task: { subject: `Reply to ${from?.name ?? "the buyer"}: ${inbound.subject ?? typeWord(inbound.type)}`, body: firstSentence(inbound.body, 300), dueInDays: 0, contactId: from?.id ?? null },
    });
  }

  // 2. Overdue commitments.
  const overdue = overdueTasks(ctx);
  if (overdue.length) {
    const t = overdue[0]!;
    const late = daysPastDate(t.dueAt!, ctx.now);
    add({
      title: `Catch up on the overdue task "${t.subject ?? "untitled"}"`,
      rationale: `${plural(overdue.length, "task")} overdue; "${t.subject ?? "untitled"}" was due ${day(t.dueAt!)} (${plural(late, "day")} ago). Finish it or reschedule it with the buyer.`,
      priority: "high",
      citations: overdue.slice(0, 3).map((x) => x.id),
      task: { subject: `Catch up: ${t.subject ?? "overdue task"}`, body: `Was due ${day(t.dueAt!)}.`, dueInDays: 1, contactId: t.contactId ?? primary?.id ?? null },
    });
  }

  // 3. Close date in the past.
  const close = signal(ctx, "close_date");
  if (o.closeDate && daysPastDate(o.closeDate, ctx.now) > 0) {
    add({
      title: "Reset the close date",
      rationale: `${close?.detail ?? `Close date ${o.closeDate} has passed`} while the deal is still in ${o.stage.name}; the forecast is wrong until it is updated.`,
      priority: "high",
      citations: [o.id, ...(close?.citations ?? [])],
      task: { subject: `Confirm a realistic close date with ${buyer?.name ?? who}`, body: `Current close date ${o.closeDate} has passed.`, dueInDays: 2, contactId: buyer?.id ?? null },
    });
  } else if (closeDatePushes(ctx).length) {
    const pushes = closeDatePushes(ctx);
    add({
      title: "Validate the timeline with the economic buyer",
      rationale: `${close?.detail ?? "The close date moved"}. Repeated slips usually mean a missing approval step.`,
      priority: pushes.length >= 2 ? "high" : "medium",
      citations: [o.id, ...pushes.map((p) => p.id), buyer?.id],
      task: { subject: `Ask ${buyer?.name ?? who} what must happen to sign by ${o.closeDate}`, body: null, dueInDays: 3, contactId: buyer?.id ?? null },
    });
  }

  // 4. Stuck in the stage.
  const age = signal(ctx, "stage_age");
  if (age && (age.status === "risk" || age.status === "warning")) {
    add({
      title: `Unblock the deal in ${o.stage.name}`,
      rationale: `${age.detail}.${nextStage ? ` Next stage: ${nextStage.name}.` : ""}`,
      priority: age.status === "risk" ? "high" : "medium",
      citations: [...age.citations, ...move.cites],
      task: { subject: `${move.text} with ${primary?.name ?? "the buyer"}`, body: nextStage ? `Goal: move to ${nextStage.name}.` : null, dueInDays: 2, contactId: primary?.id ?? null },
    });
  }

  // 5. Gone quiet (unless the top action already answers the buyer).
  const lastAct = signal(ctx, "last_activity");
  const lastIn = signal(ctx, "last_inbound");
  const quiet = [lastAct, lastIn].filter((s) => s && (s.status === "risk" || s.status === "warning")) as DealSignal[];
  if (quiet.length && !answersBuyer) {
    add({
      title: `Re-engage ${who}`,
      rationale: `${quiet.map((s) => `${s.label}: ${s.detail}`).join("; ")}.`,
      priority: quiet.some((s) => s.status === "risk") ? "high" : "medium",
      citations: [...quiet.flatMap((s) => s.citations), primary?.id],
      task: { subject: `Call ${primary?.name ?? "the buyer"} to re-confirm priorities and timeline`, body: null, dueInDays: 1, contactId: primary?.id ?? null },
    });
  }

  // 6. No next step.
  const next = signal(ctx, "next_step");
  if (next && next.status !== "ok") {
    add({
      title: next.status === "risk" ? "Set a dated next step" : "Record the next step on the deal",
      rationale: `${next.detail}.`,
      priority: next.status === "risk" ? "high" : "low",
      citations: [...next.citations, ...move.cites],
      task: { subject: `${move.text} with ${primary?.name ?? "the buyer"}`, body: null, dueInDays: 2, contactId: primary?.id ?? null },
    });
  }

  // 7. Single-threaded.
  const engagedSig = signal(ctx, "engaged_contacts");
  if (engagedSig && engagedSig.status !== "ok") {
    const engaged = new Set(engagedContacts(ctx).map((c) => c.id));
    const other = ctx.contacts.find((c) => !engaged.has(c.id) && c.id !== primary?.id) ?? ctx.contacts.find((c) => !engaged.has(c.id));
    add({
      title: other ? `Bring ${other.name} into the conversation` : "Find a second stakeholder",
      rationale: `${engagedSig.detail}. A deal that depends on one person stalls when that person does.`,
      priority: "medium",
      citations: [...engagedSig.citations, other?.id],
      task: other
        ? { subject: `Introduce yourself to ${other.name}${other.title ? ` (${other.title})` : ""}`, body: null, dueInDays: 3, contactId: other.id }
        : { subject: `Ask ${primary?.name ?? "the buyer"} who else signs off on ${o.name}`, body: null, dueInDays: 3, contactId: primary?.id ?? null },
    });
  }

  // 8. Healthy: keep the momentum on the recorded next step.
  if (candidates.length < 2) {
    const health = ctx.signals.filter((s) => s.status === "ok").slice(0, 3);
    add({
      title: o.nextStep?.trim() ? `Do the next step: ${o.nextStep.trim()}` : move.text,
      rationale: `${health.length ? `${health.map((s) => s.detail).join("; ")}.` : `In ${o.stage.name}.`}${nextStage ? ` Next stage: ${nextStage.name}.` : ""}`,
      priority: "low",
      citations: [o.id, ...health.flatMap((s) => s.citations), ...move.cites],
      task: { subject: o.nextStep?.trim() || `${move.text} with ${primary?.name ?? "the buyer"}`, body: null, dueInDays: 2, contactId: primary?.id ?? null },
    });
  }

  // Stable ranking: priority, then the order above (most concrete first).
  const ranked = candidates.map((a, i) => ({ a, i })).sort((x, y) => PRIORITY[y.a.priority] - PRIORITY[x.a.priority] || x.i - y.i);
  return { actions: ranked.slice(0, 5).map((r) => r.a) };
}

// ---------- e-mail drafts ----------

type IntentKind = "demo_followup" | "proposal" | "meeting" | "thanks" | "follow_up" | "introduction" | "custom";
function intentKind(intent: string): IntentKind {
  const s = intent.toLowerCase();
  if (/\bdemo/.test(s)) return "demo_followup";
  if (/proposal|quote|pricing|offer/.test(s)) return "proposal";
  if (/thank/.test(s)) return "thanks";
  if (/\bintro/.test(s)) return "introduction";
  if (/meet|schedul|book|call\b|calendar/.test(s)) return "meeting";
  if (/follow|check|touch|re-?engage|nudge|chase/.test(s)) return "follow_up";
  return "custom";
}

/** Verbs an intent starts with when it says what the e-mail should do ("ask…", "follow up…", "book…"). */
const INTENT_VERBS = /^(ask|follow|book|schedule|set|send|share|confirm|thank|introduce|check|remind|request|propose|invite|update|offer|arrange|get|chase|nudge|recap|summari[sz]e|walk|discuss|review|agree|let|tell|explain|clarify|apologi[sz]e|congratulate|welcome|reschedule|cancel|move|push|close|find|see|catch)\b/i;

/** "schedule a call next Tuesday" → "I am writing to schedule a call next Tuesday." (about the deal when it is not named). */
function intentSentence(intent: string, dealName: string | null): string {
  let t = intent.replace(/\s+/g, " ").trim().replace(/[.!?]+$/, "");
  t = t.replace(/^(please|pls|i want to|i'd like to|i would like to|we need to|need to|to)\s+/i, "");
  const about = dealName && !t.toLowerCase().includes(dealName.toLowerCase()) ? ` (${dealName})` : "";
  if (INTENT_VERBS.test(t)) return `I am writing to ${t.charAt(0).toLowerCase()}${t.slice(1)}${about}.`;
  return `I am writing about ${t.charAt(0).toLowerCase()}${t.slice(1)}${about}.`;
}

function draftEmail(ctx: AiContext, args: FeatureArgs["email_draft"]): EmailDraftOutput {
  const people = contextContacts(ctx);
  const to = (args.toContactId ? people.find((c) => c.id === args.toContactId) : null) ?? ctx.contact ?? primaryContact(ctx);
  const deal = ctx.opportunity
    ? { id: ctx.opportunity.id, name: ctx.opportunity.name, stage: ctx.opportunity.stage.name, closeDate: ctx.opportunity.closeDate ?? null, nextStep: ctx.opportunity.nextStep ?? null }
    : (() => {
        const d = ctx.opportunities.find((x) => x.stageKind === "open");
        return d ? { id: d.id, name: d.name, stage: d.stage, closeDate: d.closeDate ?? null, nextStep: d.nextStep ?? null } : null;
      })();
  const cites: (string | null | undefined)[] = [to?.id, deal?.id, ctx.target.id];
  const kind = intentKind(args.intent);
  const topic = deal?.name ?? ctx.account?.name ?? to?.accountName ?? "our conversation";
  const subject = {
    demo_followup: `Following up on the demo — ${topic}`,
    proposal: `${topic}: proposal and next steps`,
    meeting: `${topic}: time for a call?`,
    thanks: `Thank you — ${topic}`,
    follow_up: `Following up: ${topic}`,
    introduction: `Introduction — ${topic}`,
    custom: `${capitalize(args.intent.replace(/[.!?\s]+$/, ""))} — ${topic}`,
  }[kind].slice(0, 300);

  const name = to ? (args.tone === "formal" ? to.name : first(to)) : null;
  const greeting = args.tone === "formal" ? `Dear ${name ?? "all"},` : args.tone === "friendly" ? `Hi ${name ?? "there"},` : `${name ?? "Hello"},`;
  const paras: string[] = [];

  // Opening: the last real interaction with this person (or on the deal).
  const lastWith = ctx.activities.find((a) => isInteraction(a) && a.type !== "note" && (!to || a.contactId === to.id || a.opportunityId === deal?.id));
  const demo = ctx.activities.find((a) => a.type === "meeting" && /demo/i.test(`${a.subject} ${a.body}`));
  const anchor = kind === "demo_followup" && demo ? demo : lastWith;
  if (anchor && args.tone !== "concise") {
    cites.push(anchor.id);
    const what = anchor.type === "meeting" ? `our meeting on ${day(anchor.happenedAt)} ("${anchor.subject ?? "meeting"}")`
      : anchor.type === "call" ? `our call on ${day(anchor.happenedAt)}`
      : anchor.direction === "inbound" ? `your e-mail of ${day(anchor.happenedAt)} ("${anchor.subject ?? "e-mail"}")`
      : `my e-mail of ${day(anchor.happenedAt)}`;
    paras.push(args.tone === "formal" ? `Thank you for ${what}.` : `Thanks for ${what}.`);
  }

  // The purpose is the user's own intent, in their words: the kind only shapes the subject, the recap and the ask.
  paras.push(intentSentence(args.intent, deal?.name ?? null));

  // What the buyer asked for last, quoted from their own message.
  const inbound = ctx.activities.find((a) => isInteraction(a) && a.direction === "inbound" && (!to || a.contactId === to.id || a.opportunityId === deal?.id));
  const recap: string[] = [];
  if (inbound && args.tone !== "concise") {
    const q = firstSentence(inbound.body, 220);
    if (q) {
      recap.push(`- Your last message (${day(inbound.happenedAt)}): ${q}`);
      cites.push(inbound.id);
    }
  }
  const concern = ctx.activities.find((a) => a.type === "meeting" && /concern|question|risk|worr/i.test(a.body ?? ""));
  if (concern && args.tone !== "concise" && args.tone !== "direct") {
    const m = /[^.]*\b(concern|question|risk|worr)[^.]*\./i.exec(concern.body ?? "");
    if (m) {
      recap.push(`- From ${concern.subject ? `"${concern.subject}"` : "our meeting"} on ${day(concern.happenedAt)}: ${m[0].trim()}`);
      cites.push(concern.id);
    }
  }
  const task = openTasks(ctx).find((t) => !t.dueAt || t.dueAt >= ctx.now) ?? openTasks(ctx)[0];
  if (deal?.nextStep) {
    recap.push(`- Next step: ${deal.nextStep}${deal.closeDate ? ` (we are working towards ${deal.closeDate})` : ""}`);
  } else if (task) {
    recap.push(`- Next step on my side: ${task.subject ?? "follow-up"}${task.dueAt ? ` by ${day(task.dueAt)}` : ""}`);
    cites.push(task.id);
  }
  if (recap.length) paras.push(`${args.tone === "direct" ? "Where we are:" : "To recap where we are:"}\n${recap.join("\n")}`);

  const ask = {
    demo_followup: "Which of the points above should we go deeper on, and who else should join?",
    proposal: "Could you let me know whether the proposal covers what you need, or what is missing?",
    meeting: "Would a 30-minute call later this week work for you?",
    thanks: "Let me know if there is anything I can prepare for the next step.",
    follow_up: "Is there anything you need from me to keep this moving?",
    introduction: "Would a short call to get to know each other work for you?",
    custom: "Let me know how you would like to proceed.",
  }[kind];
  paras.push(ask);
  const signoff = args.tone === "formal" ? "Kind regards," : args.tone === "friendly" ? "Best," : "Thanks,";
  const body = [greeting, "", paras.join("\n\n"), "", `${signoff}\n${args.senderName ?? ctx.opportunity?.owner?.name ?? ""}`.trimEnd()].join("\n");
  return { subject, body, toContactId: to?.id ?? null, citations: uniq(cites) };
}

// ---------- deal brief ----------

function dealBrief(ctx: AiContext): DealBriefOutput {
  const o = ctx.opportunity!;
  const sig = (k: DealSignal["key"]) => signal(ctx, k);
  const standing: CitedLine[] = [dealHeadline(ctx)];
  for (const k of ["stage_age", "close_date", "next_step"] as const) {
    const s = sig(k);
    if (s && o.stage.kind === "open") standing.push(line(s.detail, ...s.citations));
  }

  const people: CitedLine[] = [];
  if (o.owner) people.push(line(`Owner: ${o.owner.name}`, o.id));
  for (const c of ctx.contacts.slice(0, 6)) people.push(line(`${contactText(c, ctx.now)}`, c.id));
  if (!ctx.contacts.length) people.push(line("No contacts are linked to this deal.", o.id));
  const engaged = sig("engaged_contacts");
  if (engaged && ctx.contacts.length) people.push(line(`${engaged.detail}`, ...engaged.citations));

  const events = ctx.activities.filter((a) => isInteraction(a) || a.type === "stage_change").slice(0, 7).reverse();
  const history: CitedLine[] = [line(`Opened ${day(o.createdAt)}${o.source ? ` (source: ${o.source})` : ""}`, o.id)];
  for (const a of events) {
    if (a.type === "stage_change" && a.stageChange) {
      const s = a.stageChange;
      history.push(line(`${day(a.happenedAt)}: moved ${s.fromStage ?? "?"} → ${s.toStage ?? "?"}${s.reason ? ` (${s.reason})` : ""}`, a.id));
    } else {
      const q = firstSentence(a.body, 140);
      history.push(line(`${day(a.happenedAt)}: ${typeWord(a.type).toLowerCase()}${a.direction ? ` (${a.direction})` : ""} "${a.subject ?? "untitled"}"${q && q !== a.subject ? ` — ${q}` : ""}`, a.id));
    }
  }

  const flagged = ctx.signals.filter((s) => s.status === "risk" || s.status === "warning").sort((a, b) => (a.status === b.status ? 0 : a.status === "risk" ? -1 : 1));
  const labelled = (s: DealSignal) => (s.detail.toLowerCase().startsWith(s.label.toLowerCase()) ? s.detail : `${s.label}: ${s.detail}`);
  const risks: CitedLine[] = flagged.slice(0, 8).map((s) => line(`${s.status === "risk" ? "Risk" : "Watch"} — ${labelled(s)}`, ...s.citations));
  if (!risks.length) {
    risks.push(line(o.stage.kind === "open" ? `No risk signals: ${ctx.signals.slice(0, 3).map((s) => s.detail).join("; ")}.` : `Deal is closed (${o.stage.name}).`, o.id, ...ctx.signals.slice(0, 3).flatMap((s) => s.citations)));
  }

  const nextSteps: CitedLine[] = nextActions(ctx).actions.slice(0, 3).map((a) => line(`${a.title}: ${a.task.subject} (${a.task.dueInDays === 0 ? "today" : `within ${plural(a.task.dueInDays, "day")}`})`, ...a.citations));
  return { standing, people: people.slice(0, 8), history: history.slice(0, 8), risks, nextSteps };
}
