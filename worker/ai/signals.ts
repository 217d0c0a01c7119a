import { MISSED_OUTCOMES } from "../schemas/activity-types";
import type { DealSignal } from "../schemas/ai";
import type { AiContext, CtxActivity, CtxChange, CtxContact } from "./context";
import { ago, day, daysBetween, daysPastDate, list, plural, typeWord } from "./format";

/** Activities that are a conversation or a record of one (not tasks, stage moves or system entries). */
export const INTERACTIONS = new Set(["call", "email", "meeting", "note"]);
/** A contact is engaged when something involving them happened within this many days. */
export const ENGAGED_DAYS = 30;

export const isInteraction = (a: CtxActivity) => INTERACTIONS.has(a.type);
/** A call or meeting that took place (not missed, cancelled or unanswered), or any e-mail or note. */
export const isConversation = (a: CtxActivity) => isInteraction(a) && !MISSED_OUTCOMES.includes(a.outcome ?? "");
/** Calls and meetings held since the deal entered its current stage, newest first. */
export const conversationsInStage = (ctx: AiContext) =>
  ctx.activities.filter((a) => (a.type === "call" || a.type === "meeting") && isConversation(a) && (!ctx.opportunity || a.happenedAt >= ctx.opportunity.stageEnteredAt));
/** Everyone an activity involved: its contact and the people logged on the call or meeting. */
export const peopleOf = (a: CtxActivity): string[] => [...new Set([a.contactId, ...(a.contactIds ?? [])].filter((x): x is string => !!x))];
export const openTasks = (ctx: AiContext) =>
  ctx.activities.filter((a) => a.type === "task" && !a.completedAt).sort((a, b) => (a.dueAt ?? "9999").localeCompare(b.dueAt ?? "9999") || a.id.localeCompare(b.id));
export const overdueTasks = (ctx: AiContext) => openTasks(ctx).filter((t) => t.dueAt && t.dueAt < ctx.now);
export const lastInteraction = (ctx: AiContext) => ctx.activities.find(isInteraction) ?? null;
export const lastInbound = (ctx: AiContext) => ctx.activities.find((a) => isInteraction(a) && a.direction === "inbound") ?? null;
/** Engaged: their own latest activity is recent, or they were on a recent call or meeting of this record. */
export const engagedContacts = (ctx: AiContext): CtxContact[] => {
  const onRecent = new Set(ctx.activities.filter((a) => isConversation(a) && daysBetween(a.happenedAt, ctx.now) <= ENGAGED_DAYS).flatMap(peopleOf));
  return ctx.contacts.filter((c) => onRecent.has(c.id) || (c.lastActivityAt && daysBetween(c.lastActivityAt, ctx.now) <= ENGAGED_DAYS));
};
/** The stage change that moved the deal into its current stage, if recorded. */
export const stageEntry = (ctx: AiContext) =>
  ctx.activities.find((a) => a.type === "stage_change" && a.stageChange?.toStageId === ctx.opportunity?.stage.id) ?? null;
/** Close-date edits that moved the date later. */
export const closeDatePushes = (ctx: AiContext): CtxChange[] => ctx.changes.filter((c) => c.from && c.to && c.to > c.from);

/**
 * The deal-health signals next best actions and briefs are ranked from. Pure: the same context always gives the
 * same signals, each citing the records it was computed from.
 */
export function dealSignals(ctx: AiContext): DealSignal[] {
  const o = ctx.opportunity;
  if (!o) return [];
  const open = o.stage.kind === "open";
  const out: DealSignal[] = [];

  // Days in stage vs. the workspace's norm for that stage.
  {
    const days = daysBetween(o.stageEnteredAt, ctx.now);
    const norm = ctx.stageNorms.find((n) => n.stageId === o.stage.id);
    const entry = stageEntry(ctx);
    const cites = [o.id, ...(entry ? [entry.id] : [])];
    if (!open) {
      out.push({ key: "stage_age", label: "Days in stage", status: "ok", value: days, detail: `Closed (${o.stage.name}) ${ago(days)}`, citations: cites });
    } else if (!norm || norm.samples < 3) {
      out.push({
        key: "stage_age",
        label: "Days in stage",
        status: days > 60 ? "warning" : "unknown",
        value: days,
        detail: `${plural(days, "day")} in ${o.stage.name}; no norm yet (${plural(norm?.samples ?? 0, "deal")} left this stage in the last year)`,
        citations: cites,
      });
    } else {
      const ratio = days / Math.max(norm.medianDays, 1);
      out.push({
        key: "stage_age",
        label: "Days in stage",
        status: ratio > 2 ? "risk" : ratio > 1.25 && days - norm.medianDays >= 3 ? "warning" : "ok",
        value: days,
        detail: `${plural(days, "day")} in ${o.stage.name}; deals here usually move on after ${norm.medianDays} days (median of ${norm.samples})`,
        citations: cites,
      });
    }
  }

  // Days since the last conversation.
  {
    const last = lastInteraction(ctx);
    if (!last) {
      out.push({ key: "last_activity", label: "Last activity", status: open ? "risk" : "unknown", value: null, detail: "No call, e-mail, meeting or note logged yet", citations: [o.id] });
    } else {
      const d = daysBetween(last.happenedAt, ctx.now);
      out.push({
        key: "last_activity",
        label: "Last activity",
        status: !open ? "ok" : d > 14 ? "risk" : d > 7 ? "warning" : "ok",
        value: d,
        detail: `${typeWord(last.type)} "${last.subject ?? "untitled"}" ${ago(d)}`,
        citations: [last.id],
      });
    }
  }

  // Days since the buyer last reached out.
  {
    const inbound = lastInbound(ctx);
    // Calls and meetings logged without a direction may be the buyer's: say so rather than "none".
    const undirected = ctx.activities.filter((a) => (a.type === "call" || a.type === "meeting" || a.type === "email") && !a.direction);
    if (!inbound && undirected.length) {
      const u = undirected[0]!;
      out.push({
        key: "last_inbound",
        label: "Last inbound contact",
        status: "unknown",
        value: null,
        detail: `No call, meeting or e-mail is marked inbound; ${plural(undirected.length, "was", "were")} logged without a direction, the latest ${typeWord(u.type).toLowerCase()} "${u.subject ?? "untitled"}" ${ago(daysBetween(u.happenedAt, ctx.now))}`,
        citations: undirected.slice(0, 3).map((a) => a.id),
      });
    } else if (!inbound) {
      out.push({ key: "last_inbound", label: "Last inbound contact", status: open ? "warning" : "unknown", value: null, detail: "No inbound call or e-mail recorded", citations: [o.id] });
    } else {
      const d = daysBetween(inbound.happenedAt, ctx.now);
      out.push({
        key: "last_inbound",
        label: "Last inbound contact",
        status: !open ? "ok" : d > 30 ? "risk" : d > 14 ? "warning" : "ok",
        value: d,
        detail: `${typeWord(inbound.type)} "${inbound.subject ?? "untitled"}" ${ago(d)}`,
        citations: [inbound.id],
      });
    }
  }

  // Overdue tasks.
  {
    const overdue = overdueTasks(ctx);
    const tasks = openTasks(ctx);
    out.push({
      key: "overdue_tasks",
      label: "Overdue tasks",
      status: overdue.length ? "risk" : "ok",
      value: overdue.length,
      detail: overdue.length
        ? `${plural(overdue.length, "overdue task")}: ${list(overdue.slice(0, 3).map((t) => `"${t.subject ?? "untitled"}" (due ${day(t.dueAt!)})`))}`
        : tasks.length
          ? `${plural(tasks.length, "open task")}, none overdue`
          : "No open tasks",
      citations: overdue.length ? overdue.slice(0, 5).map((t) => t.id) : tasks.length ? tasks.slice(0, 5).map((t) => t.id) : [o.id],
    });
  }

  // Close date in the past, or pushed.
  {
    const pushes = closeDatePushes(ctx);
    const pushCites = pushes.map((p) => p.id);
    if (!open) {
      out.push({ key: "close_date", label: "Close date", status: "ok", value: null, detail: `Closed${o.closedAt ? ` on ${day(o.closedAt)}` : ""}`, citations: [o.id] });
    } else if (!o.closeDate) {
      out.push({ key: "close_date", label: "Close date", status: "warning", value: null, detail: "No close date set", citations: [o.id] });
    } else {
      const past = daysPastDate(o.closeDate, ctx.now);
      const pushedText = pushes.length ? `; pushed ${plural(pushes.length, "time")} (${[pushes[0]!.from!, ...pushes.map((p) => p.to!)].join(" → ")})` : "";
      out.push({
        key: "close_date",
        label: "Close date",
        status: past > 0 || pushes.length >= 2 ? "risk" : pushes.length === 1 ? "warning" : "ok",
        value: past > 0 ? past : pushes.length,
        detail: past > 0 ? `Close date ${o.closeDate} passed ${plural(past, "day")} ago${pushedText}` : `Closing ${o.closeDate}${pushedText}`,
        citations: [o.id, ...pushCites],
      });
    }
  }

  // A next step on record.
  {
    const upcoming = openTasks(ctx).filter((t) => !t.dueAt || t.dueAt >= ctx.now);
    if (!open) {
      out.push({ key: "next_step", label: "Next step", status: "ok", value: null, detail: "Deal is closed", citations: [o.id] });
    } else if (o.nextStep?.trim()) {
      out.push({ key: "next_step", label: "Next step", status: "ok", value: null, detail: `Next step: ${o.nextStep.trim()}`, citations: [o.id] });
    } else if (upcoming.length) {
      const t = upcoming[0]!;
      out.push({ key: "next_step", label: "Next step", status: "warning", value: null, detail: `Next step field is empty; open task "${t.subject ?? "untitled"}"${t.dueAt ? ` due ${day(t.dueAt)}` : ""}`, citations: [o.id, t.id] });
    } else {
      out.push({ key: "next_step", label: "Next step", status: "risk", value: null, detail: "No next step recorded and no upcoming task", citations: [o.id] });
    }
  }

  // How many people on the buyer's side are actually engaged.
  {
    const engaged = engagedContacts(ctx);
    const total = ctx.contacts.length;
    out.push({
      key: "engaged_contacts",
      label: "Engaged contacts",
      status: !open ? "ok" : engaged.length === 0 ? "risk" : engaged.length === 1 ? "warning" : "ok",
      value: engaged.length,
      detail: total === 0
        ? "No contacts linked to the deal"
        : `${engaged.length} of ${plural(total, "contact")} active in the last ${ENGAGED_DAYS} days${engaged.length ? `: ${list(engaged.map((c) => c.name))}` : ""}`,
      citations: total === 0 ? [o.id] : (engaged.length ? engaged : ctx.contacts).slice(0, 6).map((c) => c.id),
    });
  }
  return out;
}
