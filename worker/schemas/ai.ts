import { z } from "zod";

/**
 * Contracts of the AI layer. Two kinds live here:
 * - model outputs: what a provider (OpenAI or the offline engine) must return, also turned into the strict JSON
 *   schema sent to OpenAI; both providers return exactly these shapes;
 * - API requests and responses, which wrap a model output with its activity id, citations, sources and engine
 *   metadata. The SPA imports these; they import only zod.
 */

export const aiTargetTypes = ["account", "contact", "lead", "opportunity"] as const;
export type AiTargetType = (typeof aiTargetTypes)[number];
export const aiProviders = ["openai", "local"] as const;
export const emailTones = ["friendly", "formal", "concise", "direct"] as const;
export type EmailTone = (typeof emailTones)[number];
export const aiActivityTypes = ["ai_summary", "ai_next_actions", "ai_email_draft", "ai_deal_brief"] as const;

// ---------- model outputs ----------
// Citations are plain strings here (not uuids) so an invented id is reported as an invented citation, not as
// malformed output: the validator checks every one against the ids that were in the context.
const citations = z.array(z.string()).min(1).max(12).describe("Ids from the context this line rests on");
export const citedLineSchema = z.object({ text: z.string().min(1).max(1000), citations });
export type CitedLine = z.infer<typeof citedLineSchema>;

export const summaryOutputSchema = z.object({
  headline: citedLineSchema.describe("One sentence: what this record is and where it stands"),
  points: z.array(citedLineSchema).min(1).max(10).describe("The facts that matter most, most important first"),
});
export type SummaryOutput = z.infer<typeof summaryOutputSchema>;

export const suggestedTaskSchema = z.object({
  subject: z.string().min(1).max(300),
  body: z.string().max(2000).nullable(),
  dueInDays: z.number().int().min(0).max(90),
  contactId: z.string().nullable().describe("The contact the task is about, an id from the context, or null"),
});
export const nextActionsOutputSchema = z.object({
  actions: z
    .array(
      z.object({
        title: z.string().min(1).max(200),
        rationale: z.string().min(1).max(1000),
        priority: z.enum(["high", "medium", "low"]),
        citations,
        task: suggestedTaskSchema,
      }),
    )
    .min(1)
    .max(6)
    .describe("Ranked: the most valuable action first"),
});
export type NextActionsOutput = z.infer<typeof nextActionsOutputSchema>;

export const emailDraftOutputSchema = z.object({
  subject: z.string().min(1).max(300),
  body: z.string().min(1).max(8000),
  toContactId: z.string().nullable().describe("The recipient, a contact id from the context, or null"),
  citations,
});
export type EmailDraftOutput = z.infer<typeof emailDraftOutputSchema>;

const briefLines = z.array(citedLineSchema).min(1).max(8);
export const dealBriefOutputSchema = z.object({
  standing: briefLines.describe("Where the deal stands: stage, amount, timing, owner"),
  people: briefLines.describe("Who is involved on both sides and how engaged they are"),
  history: briefLines.describe("What happened, oldest to newest"),
  risks: briefLines.describe("What could stall or lose the deal; if none, say why not"),
  nextSteps: briefLines.describe("What should happen next"),
});
export type DealBriefOutput = z.infer<typeof dealBriefOutputSchema>;

// ---------- shared response parts ----------
const iso = z.string().describe("ISO 8601 UTC timestamp");
export const aiEngineSchema = z
  .object({
    provider: z.enum(aiProviders).describe('"local" is the offline engine (no OpenAI key, or a fallback)'),
    model: z.string(),
    latencyMs: z.number().int(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    estimatedCostMicros: z.number().int().describe("Estimated cost in millionths of a US dollar"),
    fallbackReason: z.string().nullable().describe("Why the offline engine answered instead of OpenAI, when it did"),
  })
  .meta({ id: "AiEngine" });
export type AiEngine = z.infer<typeof aiEngineSchema>;

export const aiSourceSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(["opportunity", "account", "contact", "lead", "activity", "change"]),
    label: z.string(),
  })
  .meta({ id: "AiSource" });
export type AiSource = z.infer<typeof aiSourceSchema>;

const resultBase = {
  activityId: z.uuid().describe("The activity that stores this output"),
  targetType: z.enum(aiTargetTypes),
  targetId: z.uuid(),
  generatedAt: iso,
  citations: z.array(z.uuid()).describe("Every id cited anywhere in the output"),
  sources: z.array(aiSourceSchema).describe("What each cited id is, to render citation chips"),
  engine: aiEngineSchema,
};

export const summaryResultSchema = z.object({ ...resultBase, ...summaryOutputSchema.shape }).meta({ id: "AiSummary" });
export type SummaryResult = z.infer<typeof summaryResultSchema>;

export const dealSignalSchema = z
  .object({
    key: z.enum(["stage_age", "last_activity", "last_inbound", "overdue_tasks", "close_date", "next_step", "engaged_contacts"]),
    label: z.string(),
    status: z.enum(["ok", "warning", "risk", "unknown"]),
    value: z.number().nullable(),
    detail: z.string(),
    citations: z.array(z.uuid()),
  })
  .meta({ id: "AiDealSignal" });
export type DealSignal = z.infer<typeof dealSignalSchema>;

export const createTaskPayloadSchema = z.object({
  type: z.literal("task"),
  subject: z.string(),
  body: z.string().nullable(),
  dueAt: iso,
  ownerId: z.uuid().nullable(),
  opportunityId: z.uuid(),
  accountId: z.uuid().nullable(),
  contactId: z.uuid().nullable(),
  properties: z.object({ suggestionActivityId: z.uuid(), suggestionIndex: z.number().int() }),
});

export const nextActionSchema = z
  .object({
    rank: z.number().int().min(1),
    title: z.string(),
    rationale: z.string(),
    priority: z.enum(["high", "medium", "low"]),
    citations: z.array(z.uuid()),
    createTask: createTaskPayloadSchema.describe("What POST …/create-task writes for this action"),
    taskId: z.uuid().nullable().describe("The task already created from this action, if any"),
  })
  .meta({ id: "AiNextAction" });

export const nextActionsResultSchema = z
  .object({ ...resultBase, opportunityId: z.uuid(), actions: z.array(nextActionSchema), signals: z.array(dealSignalSchema) })
  .meta({ id: "AiNextActions" });
export type NextActionsResult = z.infer<typeof nextActionsResultSchema>;

export const emailDraftResultSchema = z
  .object({
    ...resultBase,
    subject: z.string(),
    body: z.string(),
    to: z.object({ contactId: z.uuid(), name: z.string(), email: z.string().nullable() }).nullable(),
    intent: z.string(),
    tone: z.enum(emailTones),
    status: z.enum(["draft", "saved", "sent"]),
    emailActivityId: z.uuid().nullable().describe("The email activity logged when the draft was sent"),
  })
  .meta({ id: "AiEmailDraft" });
export type EmailDraftResult = z.infer<typeof emailDraftResultSchema>;

export const dealBriefResultSchema = z
  .object({
    ...resultBase,
    opportunityId: z.uuid(),
    sections: dealBriefOutputSchema,
    cached: z.boolean().describe("True when an up-to-date brief was reused instead of generated"),
  })
  .meta({ id: "AiDealBrief" });
export type DealBriefResult = z.infer<typeof dealBriefResultSchema>;

export const aiJobStatuses = ["queued", "running", "succeeded", "failed", "dead"] as const;
export const aiJobSchema = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    targetType: z.enum(aiTargetTypes),
    targetId: z.uuid(),
    status: z.enum(aiJobStatuses).describe("failed = the last attempt failed and will be retried; dead = gave up"),
    attempts: z.number().int(),
    error: z.string().nullable(),
    activityId: z.uuid().nullable(),
    requestedBy: z.uuid().nullable().describe("null when a significant event triggered it"),
    createdAt: iso,
    updatedAt: iso,
    completedAt: iso.nullable(),
    result: summaryResultSchema.nullable().describe("The summary, once succeeded"),
  })
  .meta({ id: "AiJob" });
export type AiJob = z.infer<typeof aiJobSchema>;

export const deadLetterSchema = aiJobSchema
  .omit({ result: true })
  .extend({
    targetName: z.string().nullable(),
    stalled: z.boolean().describe("true: still marked in flight but untouched for 30 minutes (its message was lost)"),
  })
  .meta({ id: "AiDeadLetter" });

export const usageDaySchema = z.object({
  day: z.string().describe("UTC day, YYYY-MM-DD"),
  requests: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  costMicros: z.number().int(),
});
export const usageSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    days: z.array(usageDaySchema),
    totals: usageDaySchema.omit({ day: true }),
    limits: z.object({
      requestsPerMinutePerUser: z.number().int(),
      tokensPerDay: z.number().int(),
      tokensUsedLast24h: z.number().int(),
      tokensRemaining: z.number().int(),
    }),
  })
  .meta({ id: "AiUsage" });

// ---------- requests ----------
const uuid = z.uuid({ error: "must be a UUID" });
const dateOnly = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2026-01-31");

export const summaryRequestSchema = z.strictObject({ targetType: z.enum(aiTargetTypes), targetId: uuid });
export const summaryLatestQuerySchema = z.object({ targetType: z.enum(aiTargetTypes), targetId: uuid });
export const summaryLatestSchema = z
  .object({ summary: summaryResultSchema.nullable(), pendingJob: aiJobSchema.omit({ result: true }).nullable() })
  .meta({ id: "AiSummaryLatest" });
export const nextActionsRequestSchema = z.strictObject({ opportunityId: uuid });
export const createSuggestedTaskSchema = z.strictObject({
  index: z.number().int().min(0).max(5).describe("0-based position of the action in the suggestion"),
  subject: z.string().trim().min(1).max(500).optional().describe("Override the suggested subject"),
  dueAt: z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time" }).optional(),
  ownerId: uuid.optional(),
});
export const draftEmailRequestSchema = z
  .strictObject({
    opportunityId: uuid.optional(),
    contactId: uuid.optional().describe("The recipient; with an opportunity, one of its contacts"),
    intent: z.string().trim().min(1, "is required").max(500).describe('What the e-mail should achieve, e.g. "follow up after the demo"'),
    tone: z.enum(emailTones).optional(),
  })
  .refine((b) => b.opportunityId || b.contactId, { message: "give an opportunityId or a contactId", path: ["opportunityId"] });
export const saveDraftSchema = z.strictObject({
  subject: z.string().trim().min(1).max(500).optional(),
  body: z.string().trim().min(1).max(50_000).optional(),
  toContactId: uuid.nullable().optional(),
});
export const dealBriefQuerySchema = z.object({
  refresh: z.enum(["true", "false", "1", "0"]).optional().describe("true: generate a new brief even if the last one is current"),
});
export const usageQuerySchema = z.object({
  from: dateOnly.optional().describe("First UTC day (default: 29 days before `to`)"),
  to: dateOnly.optional().describe("Last UTC day (default: today)"),
});
export const deadLettersQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });
