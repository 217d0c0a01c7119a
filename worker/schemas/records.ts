import { z } from "zod";
import { currencySchema, dateOnlySchema, minorAmountSchema } from "./common";
import { userActivityTypes } from "./activity-types";

/** Request/response contracts for the CRM records. The SPA imports these; they import only zod. */

const text = (max = 500) => z.string().trim().max(max);
const optText = (max = 500) => text(max).nullable().optional();
const optId = z.uuid({ error: "must be a UUID" }).nullable().optional();
// The pipe trims before checking; the meta keeps `format: email` in the published schema (a pipe documents its input).
const email = z.string().trim().toLowerCase().pipe(z.email({ error: "must be an e-mail address" })).meta({ format: "email" }).nullable().optional();
const externalId = text(200).min(1).nullable().optional();
const iso = z.string().describe("ISO 8601 UTC timestamp");
const isoDateTime = z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time" });

const base = {
  id: z.uuid(),
  createdAt: iso,
  updatedAt: iso,
  deletedAt: iso.nullable(),
};

// ---------- accounts ----------
const accountFields = {
  domain: optText(253),
  website: optText(500),
  industry: optText(120),
  phone: optText(50),
  employees: z.number().int().min(0).nullable().optional(),
  annualRevenue: minorAmountSchema.nullable().optional(),
  currency: currencySchema.nullable().optional(),
  city: optText(120),
  country: optText(120),
  description: optText(10_000),
  ownerId: optId,
  externalId,
};
export const accountCreateSchema = z.strictObject({ name: text(300).min(1, "is required"), ...accountFields });
export const accountUpdateSchema = z.strictObject({ name: text(300).min(1, "cannot be empty").optional(), ...accountFields });
export const accountSchema = z
  .object({
    ...base,
    name: z.string(),
    domain: z.string().nullable(),
    website: z.string().nullable(),
    industry: z.string().nullable(),
    phone: z.string().nullable(),
    employees: z.number().int().nullable(),
    annualRevenue: z.number().int().nullable(),
    currency: z.string().nullable(),
    city: z.string().nullable(),
    country: z.string().nullable(),
    description: z.string().nullable(),
    ownerId: z.uuid().nullable(),
    externalId: z.string().nullable(),
  })
  .meta({ id: "Account" });

// ---------- people (contacts, leads) ----------
/** Quick create accepts `name` ("Ada Lovelace") and splits it; the stored form is first/last name. */
const personName = {
  name: text(300).optional().describe("Full name; split into firstName/lastName when those are not given"),
  firstName: optText(150),
  lastName: optText(150),
};
const needsNameOrEmail = (v: { name?: string; firstName?: string | null; lastName?: string | null; email?: string | null }) =>
  Boolean(v.name?.trim() || v.firstName?.trim() || v.lastName?.trim() || v.email?.trim());
const nameOrEmailIssue = { message: "a name or an email is required", path: ["name"] };

const contactFields = {
  email,
  phone: optText(50),
  mobilePhone: optText(50),
  title: optText(200),
  accountId: optId,
  ownerId: optId,
  externalId,
};
export const contactCreateSchema = z.strictObject({ ...personName, ...contactFields }).refine(needsNameOrEmail, nameOrEmailIssue);
export const contactUpdateSchema = z.strictObject({ ...personName, ...contactFields });
export const contactSchema = z
  .object({
    ...base,
    name: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    mobilePhone: z.string().nullable(),
    title: z.string().nullable(),
    accountId: z.uuid().nullable(),
    ownerId: z.uuid().nullable(),
    externalId: z.string().nullable(),
  })
  .meta({ id: "Contact" });

export const leadStatuses = ["new", "contacted", "qualified", "unqualified", "converted"] as const;
const leadFields = {
  email,
  phone: optText(50),
  title: optText(200),
  company: optText(300),
  status: z.enum(leadStatuses.filter((s) => s !== "converted") as ["new", "contacted", "qualified", "unqualified"]).optional(),
  source: optText(120),
  description: optText(10_000),
  ownerId: optId,
  externalId,
};
export const leadCreateSchema = z.strictObject({ ...personName, ...leadFields }).refine(needsNameOrEmail, nameOrEmailIssue);
export const leadUpdateSchema = z.strictObject({ ...personName, ...leadFields });
export const leadSchema = z
  .object({
    ...base,
    name: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    title: z.string().nullable(),
    company: z.string().nullable(),
    status: z.enum(leadStatuses),
    source: z.string().nullable(),
    description: z.string().nullable(),
    ownerId: z.uuid().nullable(),
    externalId: z.string().nullable(),
    convertedAt: iso.nullable(),
    convertedAccountId: z.uuid().nullable(),
    convertedContactId: z.uuid().nullable(),
    convertedOpportunityId: z.uuid().nullable(),
  })
  .meta({ id: "Lead" });

// ---------- opportunities ----------
const opportunityFields = {
  accountId: optId,
  primaryContactId: optId,
  ownerId: optId,
  amount: minorAmountSchema.nullable().optional().describe("Integer minor units (cents)"),
  currency: currencySchema.optional(),
  probability: z.number().int().min(0).max(100).nullable().optional().describe("Per-deal override; null = the stage's"),
  closeDate: dateOnlySchema.nullable().optional(),
  nextStep: optText(500),
  source: optText(120),
  description: optText(10_000),
  externalId,
  contactIds: z.array(z.uuid()).max(50).optional().describe("Contacts involved besides the primary one"),
};
export const stageChangeReasonSchema = z.union([
  text(2000).min(1, "is required"),
  z.strictObject({ text: text(2000).min(1, "is required"), code: text(100).optional() }),
]);
export const opportunityCreateSchema = z.strictObject({
  name: text(300).min(1, "is required"),
  pipelineId: z.uuid().optional().describe("The deal's pipeline (default: the workspace's default pipeline); stageId must belong to it"),
  stageId: z.uuid().optional().describe("Defaults to the first open stage of the pipeline"),
  ...opportunityFields,
});
export const opportunityUpdateSchema = z.strictObject({
  name: text(300).min(1, "cannot be empty").optional(),
  stageId: z.uuid().optional(),
  stageChangeReason: stageChangeReasonSchema.optional().describe("Required when stageId changes"),
  position: z.number().finite().optional().describe("Kanban position within the stage"),
  version: z.number().int().min(1).optional().describe("The version you edited; or send If-Match"),
  ...opportunityFields,
});
export const opportunitySchema = z
  .object({
    ...base,
    name: z.string(),
    accountId: z.uuid().nullable(),
    primaryContactId: z.uuid().nullable(),
    ownerId: z.uuid().nullable(),
    stageId: z.uuid(),
    pipelineId: z.uuid().describe("The stage's pipeline (a deal moves to another pipeline by a stage change)"),
    amount: z.number().int().nullable(),
    currency: z.string(),
    probability: z.number().int().nullable(),
    closeDate: z.string().nullable(),
    closedAt: iso.nullable(),
    position: z.number(),
    stageEnteredAt: iso,
    nextStep: z.string().nullable(),
    source: z.string().nullable(),
    description: z.string().nullable(),
    version: z.number().int(),
    externalId: z.string().nullable(),
  })
  .meta({ id: "Opportunity" });

// ---------- activities ----------
export { userActivityTypes };
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
  })
  .refine((a) => a.accountId || a.contactId || a.leadId || a.opportunityId, {
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
});
export type ListQuery = z.infer<typeof listQuerySchema>;

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() });

/** An activity with who did it and the record it is about (timelines and the activity list). */
export const timelineItemSchema = activitySchema
  .extend({
    actor: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    target: z.object({ type: z.enum(["account", "contact", "lead", "opportunity"]), id: z.uuid(), name: z.string().nullable() }),
  })
  .meta({ id: "TimelineItem" });

/** An item of GET /api/activities: the activity with its actor and target (null only for an activity on no record). */
export const activityListItemSchema = timelineItemSchema
  .extend({ target: timelineItemSchema.shape.target.nullable() })
  .meta({ id: "ActivityListItem" });
