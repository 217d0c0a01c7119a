import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app-env";
import { aiDeps } from "../routes/ai";
import { actorOf, timelineQuery } from "../routes/records";
import { draftEmailRequestSchema, nextActionsRequestSchema } from "../schemas/ai";
import { activityCreateSchema, listQuerySchema, recordContracts } from "../schemas/records";
import { reportFiltersSchema } from "../schemas/reports";
import { searchQuerySchema, searchTypes, type SearchResultType } from "../schemas/search";
import { dealHealth } from "../services/ai/deal-signals";
import { draftEmail } from "../services/ai/draft-email";
import { updateOpportunity } from "../services/opportunities/update";
import { createRecord } from "../services/records/create";
import { getRecordDetail } from "../services/records/detail";
import { entities } from "../services/records/entities";
import { listRecords } from "../services/records/list";
import { getTimeline } from "../services/records/timeline";
import { updateRecord } from "../services/records/update";
import { forecast } from "../services/reports/forecast";
import { pipelineByStage } from "../services/reports/pipeline-by-stage";
import { rotting } from "../services/reports/rotting";
import { searchRecords } from "../services/search/search";
import { parseOrThrow } from "./validate";

/**
 * The tools /mcp offers. Each is one REST route said differently: the same zod contract (its input schema is derived
 * from it, and the arguments are parsed by it), the same service verb, the same actor (so the audit trail names the
 * API key), and the same role, read from the policy table for the REST route in `rest`.
 */
export interface McpTool {
  name: string;
  title: string;
  description: string;
  /** The REST route this tool stands for: its row in worker/middleware/policy.ts decides who may call it. */
  rest: { method: "GET" | "POST" | "PATCH"; path: string };
  input: z.ZodType;
  run: (c: Context<AppEnv>, args: never) => Promise<unknown>;
}

const tool = <S extends z.ZodType>(t: Omit<McpTool, "input" | "run"> & { input: S; run: (c: Context<AppEnv>, args: z.output<S>) => Promise<unknown> }): McpTool => t as McpTool;
const ws = (c: Context<AppEnv>) => c.var.auth.workspaceId;
const db = (c: Context<AppEnv>) => c.var.services.db;
const uuid = () => z.uuid({ error: "must be a UUID" });
const label = (type: SearchResultType) => entities[type].label.toLowerCase();

/** Deal-list filters a rep uses, picked from the REST list contract, plus custom-field filters. */
const dealFilters = () =>
  listQuerySchema
    .pick({ limit: true, cursor: true, sort: true, q: true, ownerId: true, accountId: true, stageId: true, pipelineId: true, closeFrom: true, closeTo: true, amountMin: true, amountMax: true, currency: true, createdFrom: true, createdTo: true, updatedFrom: true, updatedTo: true })
    .extend({
      custom: z
        .record(z.string().max(100), z.coerce.string().max(200))
        .optional()
        .describe('Custom-field filters, as GET /api/opportunities?custom.<key>=: {"region": "EMEA"} (equality; a multi-select matches deals holding the option) or ranges {"arr[gte]": "10000", "renewal[lt]": "2027-01-01"}; {"region[empty]": "true"}. Keys are in the schema resource.'),
    });

function recordTools(type: SearchResultType): McpTool[] {
  const def = entities[type];
  const k = recordContracts(type);
  const what = label(type);
  return [
    tool({
      name: `create_${type}`,
      title: `Create ${def.label === "Opportunity" ? "an opportunity (deal)" : `a ${what}`}`,
      description: `Creates ${type === "opportunity" ? "a deal (in the default pipeline's first stage unless stageId is given)" : `a ${what}`}, exactly as POST /api/${def.plural}. Custom fields go in \`custom\` (keys in the schema resource).`,
      rest: { method: "POST", path: `/api/${def.plural}` },
      input: k.create,
      run: (c, body) => createRecord({ db: db(c), actor: actorOf(c), def, body: body as Record<string, unknown> }),
    }),
    tool({
      name: `update_${type}`,
      title: `Update a ${what}`,
      description:
        `Changes some fields of a ${what}, exactly as PATCH /api/${def.plural}/{id}; fields left out stay as they are.` +
        (type === "opportunity" ? " Moving the deal to another stage (stageId) needs stageChangeReason ({text, code?}; codes are in the schema resource). Give `version` to refuse the change if someone else edited the deal since you read it." : ""),
      rest: { method: "PATCH", path: `/api/${def.plural}/:id` },
      input: z.strictObject({ id: uuid().describe(`The ${what}'s id`), changes: k.update }),
      run: (c, { id, changes }) =>
        type === "opportunity"
          ? updateOpportunity({ db: db(c), actor: actorOf(c), id, patch: changes as Record<string, unknown> })
          : updateRecord({ db: db(c), actor: actorOf(c), def, id, body: changes as Record<string, unknown> }),
    }),
  ];
}

function buildTools(): McpTool[] {
  const a = activityCreateSchema.shape;
  return [
    tool({
      name: "search_records",
      title: "Search records",
      description: "Finds accounts, contacts, leads and deals by name, e-mail or domain as you would type it (prefix first, tolerant of small typos); best match first. Use it to turn a name into an id.",
      rest: { method: "GET", path: "/api/search" },
      input: searchQuerySchema,
      run: (c, q) => searchRecords({ db: db(c), workspaceId: ws(c), q: q.q, types: q.types, limit: q.limit }),
    }),
    tool({
      name: "get_record",
      title: "Get a record with its timeline",
      description: "One account, contact, lead or deal with its related records, and the newest activities of its timeline (calls, e-mails, meetings, notes, tasks, stage changes). `timeline.nextCursor` pages on through GET /api/<plural>/{id}/timeline.",
      rest: { method: "GET", path: "/api/{plural}/:id" },
      input: z.strictObject({ type: z.enum(searchTypes), id: uuid(), timelineLimit: timelineQuery.shape.limit.describe("How many timeline entries (newest first)") }),
      run: async (c, { type, id, timelineLimit }) => {
        const def = entities[type];
        const [record, timeline] = await Promise.all([
          getRecordDetail({ db: db(c), workspaceId: ws(c), def, id }),
          getTimeline({ db: db(c), workspaceId: ws(c), def, id, limit: timelineLimit }),
        ]);
        return { type, record, timeline };
      },
    }),
    tool({
      name: "list_deals",
      title: "List deals",
      description: "A page of deals (opportunities) with filters: owner, account, stage, pipeline, close dates, amounts, currency, text, custom fields; sorted by `sort` (e.g. -amount, closeDate). `nextCursor` fetches the next page.",
      rest: { method: "GET", path: "/api/opportunities" },
      input: dealFilters(),
      run: (c, { custom, ...query }) =>
        listRecords({ db: db(c), workspaceId: ws(c), def: entities.opportunity, query, custom: custom && Object.fromEntries(Object.entries(custom).map(([key, v]) => [`custom.${key}`, v])) }),
    }),
    tool({
      name: "pipeline_summary",
      title: "Pipeline summary",
      description: "Open deals per stage (count and amount per currency), as the Reports page shows it; filter by pipeline, owner, currency, period.",
      rest: { method: "GET", path: "/api/reports/pipeline-by-stage" },
      input: reportFiltersSchema,
      run: (c, query) => pipelineByStage({ db: db(c), workspaceId: ws(c), query }),
    }),
    tool({
      name: "forecast",
      title: "Forecast",
      description: "Open pipeline by expected close month: committed (probability ≥ 75), best case and weighted amounts per currency.",
      rest: { method: "GET", path: "/api/reports/forecast" },
      input: reportFiltersSchema,
      run: (c, query) => forecast({ db: db(c), workspaceId: ws(c), query }),
    }),
    tool({
      name: "rotting_deals",
      title: "Rotting deals",
      description:
        "Open deals past their stage's aging limit (the stage's own, else the workspace's median days in it): per stage the count, amount per currency and worst days over, and the most overdue deals with days in stage and days over; filter by pipeline, owner, currency, close-date period.",
      rest: { method: "GET", path: "/api/reports/rotting" },
      input: reportFiltersSchema,
      run: (c, query) => rotting({ db: db(c), workspaceId: ws(c), query }),
    }),
    tool({
      name: "get_deal_health",
      title: "Deal health and reasons",
      description: "A deal's health signals with their reasons (days in stage against the stage's norm, silence since the last interaction and the last inbound one, overdue tasks, close date, next step, engaged contacts), each ok / warning / risk and citing the records it is computed from, plus the worst as `overall`. Computed, not generated: no AI cost.",
      rest: { method: "GET", path: "/api/ai/deal-brief/:opportunityId" },
      input: nextActionsRequestSchema,
      run: (c, { opportunityId }) => dealHealth({ db: db(c), workspaceId: ws(c), opportunityId, privateFields: c.var.config.AI_PRIVATE_FIELDS }),
    }),
    ...searchTypes.flatMap(recordTools),
    tool({
      name: "log_activity",
      title: "Log an activity",
      description: "Records a call, e-mail, meeting or note (or a task) on an account, contact, lead or deal, exactly as POST /api/activities. `happenedAt` defaults to now.",
      rest: { method: "POST", path: "/api/activities" },
      input: activityCreateSchema,
      run: (c, body) => createRecord({ db: db(c), actor: actorOf(c), def: entities.activity, body }),
    }),
    tool({
      name: "create_task",
      title: "Create a task",
      description: "Adds a to-do on an account, contact, lead or deal, due at `dueAt`, for `ownerId` (default: the key's creator); it shows on the Tasks page.",
      rest: { method: "POST", path: "/api/activities" },
      input: z.strictObject({ subject: a.subject, body: a.body, dueAt: a.dueAt, ownerId: a.ownerId, accountId: a.accountId, contactId: a.contactId, leadId: a.leadId, opportunityId: a.opportunityId }),
      run: (c, args) => createRecord({ db: db(c), actor: actorOf(c), def: entities.activity, body: parseOrThrow(activityCreateSchema, { ...args, type: "task" }) }),
    }),
    tool({
      name: "draft_email",
      title: "Draft an e-mail",
      description: "Drafts an e-mail about a deal (to one of its contacts) or to a contact, grounded in the record's history; stored as a draft on the timeline, never sent. Counts against the AI limits.",
      rest: { method: "POST", path: "/api/ai/draft-email" },
      input: draftEmailRequestSchema,
      run: (c, body) => draftEmail(aiDeps(c), { ...body, senderName: c.var.auth.name ?? null }),
    }),
  ];
}

let built: McpTool[] | undefined;
/** Built on first use (zod schemas stay out of module scope), once per isolate. */
export const mcpTools = (): McpTool[] => (built ??= buildTools());
