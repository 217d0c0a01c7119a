import { z } from "zod";
import { domain, leadStatuses, type Domain, type EntityDecl, type EntityKey } from "../../domain";
import { contractsOf, stageChangeReasonSchema as stageChangeReason, type TypedContracts } from "../../domain/contracts";
import { currencySchema, dateOnlySchema } from "./common";
import { activityDirections, activityOutcomes, callOutcomes, meetingOutcomes, userActivityTypes } from "./activity-types";

/**
 * Request/response contracts for the CRM records: the four record entities' are derived from domain/ (built on first
 * use), activities' and the list query are written here. Imports only zod and domain/ (the SPA imports the types).
 */

const text = (max = 500) => z.string().trim().max(max);
const optText = (max = 500) => text(max).nullable().optional();
const optId = z.uuid({ error: "must be a UUID" }).nullable().optional();
const iso = z.string().describe("ISO 8601 UTC timestamp");
const isoDateTime = z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time" });

const base = {
  id: z.uuid(),
  createdAt: iso,
  updatedAt: iso,
  deletedAt: iso.nullable(),
};

// ---------- accounts, contacts, leads, opportunities ----------
// Declared once in domain/ (fields, validation, output shape); the contracts are derived on first use.
export { leadStatuses };
export type { RecordOf, InputOf } from "../../domain/contracts";

/** Create, update and output schemas of a record entity, derived from its declaration (built once, on first use). */
export const recordContracts = <K extends EntityKey>(type: K): TypedContracts<Domain[K]> => contractsOf(domain[type] as Domain[K]);
export const stageChangeReasonSchema = stageChangeReason;

// ---------- activities ----------
export { activityDirections, activityOutcomes, callOutcomes, meetingOutcomes, userActivityTypes };
const activityTargets = {
  accountId: optId,
  contactId: optId,
  leadId: optId,
  opportunityId: optId,
};
export const activityCreateSchema = z
  .strictObject({
    type: z.enum(userActivityTypes),
    subject: optText(500),
    body: optText(50_000),
    properties: z.record(z.string(), z.unknown()).optional(),
    happenedAt: isoDateTime.optional(),
    dueAt: isoDateTime.nullable().optional(),
    completedAt: isoDateTime.nullable().optional(),
    ownerId: optId,
    ...activityTargets,
    direction: z.enum(activityDirections).optional().describe("Inbound (the buyer reached out) or outbound; stored in properties.direction"),
    outcome: z.enum(activityOutcomes).optional().describe("Calls: connected, left_voicemail, no_answer, busy, wrong_number. Meetings: held, no_show, rescheduled, cancelled. Stored in properties.outcome"),
    contactIds: z
      .array(z.uuid({ error: "must be a UUID" }))
      .max(25)
      .optional()
      .describe("Everyone on the call or meeting (properties.contactIds); the first is the activity's contactId unless one is given"),
  })
  // A call's outcome must be a call's, a meeting's a meeting's (other types keep what integrations send).
  .refine(
    (a) =>
      a.outcome === undefined ||
      (a.type === "call" ? (callOutcomes as readonly string[]).includes(a.outcome) : a.type === "meeting" ? (meetingOutcomes as readonly string[]).includes(a.outcome) : true),
    { message: "a call's outcome is one of connected, left_voicemail, no_answer, busy, wrong_number; a meeting's one of held, no_show, rescheduled, cancelled", path: ["outcome"] },
  )
  .refine((a) => a.contactIds === undefined || a.type !== "task", { message: "tasks have one contact (contactId)", path: ["contactIds"] })
  .refine((a) => a.accountId || a.contactId || a.leadId || a.opportunityId || a.contactIds?.length, {
    message: "an activity needs a target: accountId, contactId, leadId or opportunityId",
    path: ["opportunityId"],
  })
  .refine((a) => a.subject || a.body, { message: "a subject or a body is required", path: ["subject"] });
export const activityUpdateSchema = z.strictObject({
  subject: optText(500),
  body: optText(50_000),
  properties: z.record(z.string(), z.unknown()).optional(),
  happenedAt: isoDateTime.optional(),
  dueAt: isoDateTime.nullable().optional(),
  completedAt: isoDateTime.nullable().optional(),
  completed: z.boolean().optional().describe("Shortcut: true sets completedAt to now, false clears it"),
  ownerId: optId,
});
export const activitySchema = z
  .object({
    ...base,
    type: z.string(),
    subject: z.string().nullable(),
    body: z.string().nullable(),
    properties: z.record(z.string(), z.unknown()),
    actorId: z.uuid().nullable(),
    accountId: z.uuid().nullable(),
    contactId: z.uuid().nullable(),
    leadId: z.uuid().nullable(),
    opportunityId: z.uuid().nullable(),
    happenedAt: iso,
    dueAt: iso.nullable(),
    completedAt: iso.nullable(),
    ownerId: z.uuid().nullable(),
  })
  .meta({ id: "Activity" });

/** Which AI outputs an activity feed shows: all, the latest summary of each record (default on timelines), or none. */
export const aiFeedModes = ["show", "latest", "hide"] as const;
export const aiFeedParam = z.enum(aiFeedModes).optional().describe("AI outputs: show all, latest (earlier summaries of a record left out), or hide");

// ---------- lists ----------
const intQ = z.coerce.number().int();
export const listQuerySchema = z.object({
  limit: intQ.min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
  sort: z.string().max(40).optional().describe("A sortable column; prefix with - for descending, e.g. -updatedAt"),
  q: z.string().trim().max(200).optional(),
  ownerId: z.uuid().optional(),
  accountId: z.uuid().optional(),
  stageId: z.uuid().optional(),
  pipelineId: z.uuid().optional().describe("Opportunities: deals whose stage belongs to this pipeline"),
  status: z.string().max(40).optional(),
  type: z.string().max(40).optional(),
  contactId: z.uuid().optional(),
  opportunityId: z.uuid().optional(),
  leadId: z.uuid().optional(),
  open: z.enum(["true", "false"]).optional().describe("Tasks: only open (true) or completed (false)"),
  createdFrom: isoDateTime.optional(),
  createdTo: isoDateTime.optional(),
  updatedFrom: isoDateTime.optional(),
  updatedTo: isoDateTime.optional(),
  closeFrom: dateOnlySchema.optional(),
  closeTo: dateOnlySchema.optional(),
  dueFrom: isoDateTime.optional(),
  dueTo: isoDateTime.optional(),
  amountMin: intQ.min(0).optional(),
  amountMax: intQ.min(0).optional(),
  currency: currencySchema.optional(),
  deleted: z.enum(["true", "false"]).optional().describe("true lists the trash (soft-deleted records)"),
  ai: aiFeedParam,
  ...declaredFilterParams(),
});
export type ListQuery = z.infer<typeof listQuerySchema> & Record<string, unknown>;

const moneyTotalsSchema = z.object({ field: z.string(), sums: z.array(z.object({ currency: z.string(), amount: z.number().int() })) });
/** GET /api/{entity}/summary: what the list's filters select, in all and per group. */
export const listSummarySchema = z
  .object({
    count: z.number().int(),
    totals: z.array(moneyTotalsSchema),
    groups: z.array(z.object({ key: z.string().nullable(), count: z.number().int(), totals: z.array(moneyTotalsSchema) })),
  })
  .meta({ id: "ListSummary" });

/**
 * Query parameters of the filters declared in domain/ that the shared list above does not name yet (a new core field
 * with `filter: { eq: true }` becomes `?<key>=` here, on every list; services/records/entities.ts applies it).
 */
function declaredFilterParams(): Record<string, z.ZodType> {
  const out: Record<string, z.ZodType> = {};
  const known = new Set(["ownerId", "accountId", "stageId", "status", "currency", "closeFrom", "closeTo", "amountMin", "amountMax"]);
  for (const e of Object.values(domain) as unknown as EntityDecl[]) {
    for (const [key, f] of Object.entries(e.fields)) {
      const p = f.filter;
      if (!p) continue;
      const add = (name: string | undefined, schema: () => z.ZodType) => {
        if (name && !known.has(name) && !out[name]) out[name] = schema();
      };
      if (p.eq) add(key, () => (f.type === "user" || f.type === "record_link" ? z.uuid().optional() : z.string().max(200).optional()));
      const bound = () => (f.type === "date" ? dateOnlySchema.optional() : f.type === "datetime" ? isoDateTime.optional() : intQ.optional());
      add(p.from, bound);
      add(p.to, bound);
      add(p.min, bound);
      add(p.max, bound);
    }
  }
  return out;
}

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() });

/** An activity with who did it and the record it is about (timelines and the activity list). */
export const timelineItemSchema = activitySchema
  .extend({
    actor: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    target: z.object({ type: z.enum(["account", "contact", "lead", "opportunity"]), id: z.uuid(), name: z.string().nullable() }),
    commentCount: z.number().int().optional().describe("Comments on this item (timelines only)"),
  })
  .meta({ id: "TimelineItem" });

/** An item of GET /api/activities: the activity with its actor and target (null only for an activity on no record). */
export const activityListItemSchema = timelineItemSchema
  .extend({ target: timelineItemSchema.shape.target.nullable() })
  .meta({ id: "ActivityListItem" });
