import { eq } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { users } from "../../../db/schema";
import type { OutboxMessage } from "../../events/types";
import { notify } from "./notify";

const plural: Record<string, string> = { account: "accounts", contact: "contacts", lead: "leads", opportunity: "opportunities" };
const label: Record<string, string> = { account: "account", contact: "contact", lead: "lead", opportunity: "deal", activity: "task" };

/** The SPA path a record opens at; a task opens its deal / lead / contact / account, else the task list. */
export function recordLink(entityType: string, entityId: string, data: Record<string, unknown>): string {
  if (plural[entityType]) return `/${plural[entityType]}/${entityId}`;
  for (const [key, type] of [["opportunityId", "opportunity"], ["leadId", "lead"], ["contactId", "contact"], ["accountId", "account"]] as const) {
    if (typeof data[key] === "string") return `/${plural[type]}/${data[key]}`;
  }
  return "/tasks";
}

function recordName(entityType: string, data: Record<string, unknown>): string {
  if (entityType === "activity") return String(data.subject ?? "a task");
  if (typeof data.name === "string" && data.name) return data.name;
  const person = [data.firstName, data.lastName].filter((x) => typeof x === "string" && x).join(" ");
  return person || String(data.email ?? data.domain ?? "a record");
}

/**
 * The notifications an event raises by itself (automations and mentions call notify() on their own): assignment —
 * a record (or task) created for someone else, or its owner changed to someone other than the person acting — tells
 * the new owner. Idempotent per event (dedupe key `evt:<eventId>:assignment`): a redelivered event notifies no one twice.
 * Records created in bulk (an import: one request, thousands of records) notify each owner once per request.
 */
export async function notifyFromEvent(db: Executor, m: OutboxMessage): Promise<string[]> {
  const { type, entityType, entityId, data } = m.event;
  const [, action] = type.split(".");
  if (!(entityType in label) || (action !== "created" && action !== "updated")) return [];
  if (entityType === "activity" && data.type !== "task") return [];
  let owner: unknown;
  if (action === "created") owner = data.ownerId;
  else owner = (data.changes as Record<string, { to: unknown }> | undefined)?.ownerId?.to;
  if (typeof owner !== "string" || owner === m.actorId) return [];

  const [who] = m.actorId ? await db.select({ name: users.name }).from(users).where(eq(users.id, m.actorId)).limit(1) : [];
  const name = recordName(entityType, data);
  return notify(db, {
    workspaceId: m.workspaceId,
    userIds: [owner],
    kind: "assignment",
    title: `${who?.name ?? "Someone"} assigned you the ${label[entityType]} "${name}"`.slice(0, 300),
    entityType,
    entityId,
    link: recordLink(entityType, entityId, data),
    actorId: m.actorId,
    dedupeKey: action === "created" && m.requestId ? `req:${m.requestId}:assignment:${entityType}` : `evt:${m.eventId}:assignment`,
  });
}
