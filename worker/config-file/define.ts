/**
 * The client's configuration as code: the shape of `bespoke.config.ts` (branding, pipelines, custom fields, reason
 * codes, AI, feature switches), its zod validation with every cross-field rule, and `defineConfig` for a typed file.
 * zod only, so the same module runs in Node (npm start, deploy, tests) and in the Worker bundle (first request).
 * Applying it to a workspace is worker/config-file/apply.ts; CUSTOMIZING.md documents every section.
 */
import { z } from "zod";
import { automationSchemas } from "../schemas/automations";

export const CONFIG_ENTITIES = ["account", "contact", "lead", "opportunity"] as const;
export type ConfigEntity = (typeof CONFIG_ENTITIES)[number];

export const CUSTOM_FIELD_TYPES = [
  "text", "long_text", "number", "money", "percent", "date", "datetime", "checkbox",
  "single_select", "multi_select", "url", "email", "phone", "user", "record_link",
] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/**
 * Core field names per entity (API names of db/schema/crm.ts columns, checked by tests/node/bespoke-config.test.ts):
 * a custom field may not take one, so `custom.<key>` never reads as a core field in filters, imports and the UI.
 */
export const CORE_FIELDS: Record<ConfigEntity, readonly string[]> = {
  account: ["id", "createdAt", "updatedAt", "deletedAt", "workspaceId", "name", "domain", "industry", "website", "phone", "city", "country", "employees", "annualRevenue", "currency", "description", "ownerId", "version", "externalId", "custom", "search"],
  contact: ["id", "createdAt", "updatedAt", "deletedAt", "workspaceId", "accountId", "firstName", "lastName", "name", "email", "phone", "mobilePhone", "title", "ownerId", "version", "externalId", "custom", "search"],
  lead: ["id", "createdAt", "updatedAt", "deletedAt", "workspaceId", "firstName", "lastName", "name", "description", "email", "phone", "company", "title", "source", "status", "ownerId", "convertedAt", "convertedAccountId", "convertedContactId", "convertedOpportunityId", "version", "externalId", "custom", "search"],
  opportunity: ["id", "createdAt", "updatedAt", "deletedAt", "workspaceId", "name", "accountId", "primaryContactId", "ownerId", "stageId", "pipelineId", "amount", "currency", "probability", "closeDate", "closedAt", "position", "stageEnteredAt", "nextStep", "source", "description", "version", "externalId", "custom", "search", "winScore"],
};

/** Entities whose fields `ai.privateFields` may name (activities have no custom fields). */
const PRIVACY_ENTITIES = [...CONFIG_ENTITIES, "activity"] as const;

const COLOR = /^#[0-9a-fA-F]{6}$/;
const SLUG = /^[a-z][a-z0-9_-]{0,49}$/;
const FIELD_KEY = /^[a-z][A-Za-z0-9_]{0,49}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Built on first use, not at import: the Worker pays for zod schemas only when it validates (start-up CPU). */
function buildShape() {
  const text = (max: number) => z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`);
  const slug = z.string().regex(SLUG, 'must be a lower-case key like "new_business" (letters, digits, _ or -; starts with a letter)');
  const color = z.string().regex(COLOR, 'must be a colour like "#4f46e5"');

  const branding = z
    .object({
      name: text(60).default("Bespoke CRM"),
      accentColor: color.default("#4f46e5"),
      logoUrl: z
        .string()
        .trim()
        .refine((v) => {
          try {
            return ["https:", "http:"].includes(new URL(v).protocol);
          } catch {
            return false;
          }
        }, "must be an absolute http(s) URL such as https://cdn.example.com/logo.svg")
        .optional(),
    })
    .strict()
    .default({ name: "Bespoke CRM", accentColor: "#4f46e5" });

  const stage = z
    .object({
      key: slug,
      name: text(60),
      probability: z.number().int("must be a whole number").min(0, "must be between 0 and 100").max(100, "must be between 0 and 100"),
      kind: z.enum(["open", "won", "lost"], { error: 'must be "open", "won" or "lost"' }).default("open"),
      /** Days a deal may sit in the stage before it shows as rotting; omitted = learned from the workspace's history. */
      agingDays: z.number().int("must be a whole number").min(1, "must be at least 1 day").max(3650, "must be at most 3650 days").nullable().optional(),
    })
    .strict();

  const pipeline = z
    .object({
      key: slug,
      name: text(60),
      default: z.boolean().default(false),
      stages: z.array(stage).min(1, "must list at least one stage").max(50, "must list at most 50 stages"),
    })
    .strict();

  const option = z
    .object({
      value: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters"),
      label: text(100),
      color: color.nullable().optional(),
    })
    .strict();

  const customField = z
    .object({
      key: z.string().regex(FIELD_KEY, 'must be a key like "renewalDate" or "notice_period" (letters, digits, _; starts with a lower-case letter)'),
      label: text(80),
      type: z.enum(CUSTOM_FIELD_TYPES, { error: `must be one of ${CUSTOM_FIELD_TYPES.join(", ")}` }),
      options: z.array(option).max(200, "must list at most 200 options").optional(),
      /** money: ISO currency of the values (minor units); default USD. */
      currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO currency code like "EUR"').optional(),
      /** record_link: which entity the value points at. */
      target: z.enum(CONFIG_ENTITIES, { error: `must be one of ${CONFIG_ENTITIES.join(", ")}` }).optional(),
      required: z.boolean().default(false),
      default: z.unknown().optional(),
      helpText: z.string().trim().max(500, "must be at most 500 characters").optional(),
      showOnCard: z.boolean().default(false),
      showInQuickCreate: z.boolean().default(false),
      filterable: z.boolean().default(false),
      /** Never sent to an AI provider (like ai.privateFields for core fields). */
      aiPrivate: z.boolean().default(false),
    })
    .strict();

  const fieldList = z.array(customField).max(200, "must list at most 200 fields").default([]);

  const reason = z.object({ value: slug, label: text(100) }).strict();
  const reasonList = z.array(reason).max(50, "must list at most 50 reasons").default([]);

  return z
    .object({
      branding,
      pipelines: z.array(pipeline).min(1, "must declare at least one pipeline").max(20, "must declare at most 20 pipelines"),
      customFields: z
        .object({ account: fieldList, contact: fieldList, lead: fieldList, opportunity: fieldList })
        .strict()
        .default({ account: [], contact: [], lead: [], opportunity: [] }),
      reasonCodes: z.object({ won: reasonList, lost: reasonList, open: reasonList }).strict().default({ won: [], lost: [], open: [] }),
      ai: z
        .object({
          /** Added to every AI prompt's instructions (house style, vocabulary, what to stress). */
          promptAdditions: z.string().trim().max(4000, "must be at most 4000 characters").default(""),
          /** `entity.field` (core) or `entity.custom.key` never sent to an AI provider. */
          privateFields: z.array(z.string()).default(["contact.mobilePhone", "contact.phone"]),
        })
        .strict()
        .default({ promptAdditions: "", privateFields: ["contact.mobilePhone", "contact.phone"] }),
      /**
       * Automation rules that ship with this deployment (Settings → Automations shows them, source "config"): the
       * rule JSON of /api/automations plus a stable `key`. Stages are named by their keys.
       */
      automations: z.array(automationSchemas().rule.extend({ key: slug })).max(100, "must list at most 100 rules").default([]),
      features: z
        .object({
          /** Queue a fresh AI summary after significant changes (stage change, new meeting or call). */
          aiAutoSummaries: z.boolean().default(true),
        })
        .strict()
        .default({ aiAutoSummaries: true }),
    })
    .strict();
}

type Shape = ReturnType<typeof buildShape>;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown) => (typeof v === "string" ? v : undefined);

/** The problem with a field's default value for its type, or undefined. Exported for the apply step's tests. */
export function defaultValueProblem(field: Record<string, unknown>, value: unknown): string | undefined {
  const type = str(field.type);
  const options = arr(field.options).map((o) => (isObj(o) ? str(o.value) : undefined));
  switch (type) {
    case "number":
    case "percent":
      return typeof value === "number" && Number.isFinite(value) ? undefined : "must be a number";
    case "money":
      return Number.isSafeInteger(value) ? undefined : "must be a whole number of minor units (cents)";
    case "checkbox":
      return typeof value === "boolean" ? undefined : "must be true or false";
    case "date":
      return typeof value === "string" && DATE.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : "must be a date like 2026-12-31";
    case "datetime":
      return typeof value === "string" && !Number.isNaN(Date.parse(value)) ? undefined : "must be an ISO date-time";
    case "single_select":
      return typeof value === "string" && options.includes(value) ? undefined : `must be one of the options (${options.join(", ")})`;
    case "multi_select":
      return Array.isArray(value) && value.every((v) => typeof v === "string" && options.includes(v)) ? undefined : `must be a list of option values (${options.join(", ")})`;
    case "user":
    case "record_link":
      return "cannot have a default (it points at a record of one workspace)";
    default:
      return typeof value === "string" ? undefined : "must be text";
  }
}

/** Cross-field rules. Runs on raw input even when single fields failed, so one message lists every problem. */
function crossChecks(raw: unknown, ctx: { addIssue: (issue: { code: "custom"; path: (string | number)[]; message: string }) => void }) {
  if (!isObj(raw)) return;
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });

  const pipelines = arr(raw.pipelines).filter(isObj);
  const defaults = pipelines.filter((p) => p.default === true);
  if (pipelines.length > 1 && defaults.length === 0) issue(["pipelines"], "must mark exactly one pipeline default: true (none is)");
  if (defaults.length > 1) issue(["pipelines"], `must mark exactly one pipeline default: true (${defaults.map((p) => str(p.key)).join(", ")} are)`);
  const pipelineKeys = new Map<string, number>();
  arr(raw.pipelines).forEach((p, i) => {
    if (!isObj(p)) return;
    const key = str(p.key);
    if (key !== undefined) {
      if (pipelineKeys.has(key)) issue(["pipelines", i, "key"], `"${key}" is also the key of pipelines[${pipelineKeys.get(key)}]`);
      else pipelineKeys.set(key, i);
    }
    const stages = arr(p.stages);
    const stageKeys = new Map<string, number>();
    const names = new Map<string, number>();
    stages.forEach((s, j) => {
      if (!isObj(s)) return;
      const k = str(s.key);
      if (k !== undefined) {
        if (stageKeys.has(k)) issue(["pipelines", i, "stages", j, "key"], `"${k}" is also the key of stages[${stageKeys.get(k)}] of this pipeline`);
        else stageKeys.set(k, j);
      }
      const n = str(s.name)?.trim().toLowerCase();
      if (n) {
        if (names.has(n)) issue(["pipelines", i, "stages", j, "name"], `"${str(s.name)}" is also the name of stages[${names.get(n)}] of this pipeline`);
        else names.set(n, j);
      }
    });
    if (stages.length > 0) {
      const kinds = new Set(stages.map((s) => (isObj(s) ? (s.kind ?? "open") : undefined)));
      for (const kind of ["open", "won", "lost"] as const) {
        if (!kinds.has(kind)) issue(["pipelines", i, "stages"], `must have at least one ${kind} stage (kind: "${kind}")`);
      }
    }
  });

  const fields = isObj(raw.customFields) ? raw.customFields : {};
  const declared: Record<string, Set<string>> = {};
  for (const entity of CONFIG_ENTITIES) {
    const seen = new Map<string, number>();
    declared[entity] = new Set();
    arr(fields[entity]).forEach((f, i) => {
      if (!isObj(f)) return;
      const path = ["customFields", entity, i];
      const key = str(f.key);
      if (key !== undefined) {
        declared[entity]!.add(key);
        if (seen.has(key)) issue([...path, "key"], `"${key}" is also the key of customFields.${entity}[${seen.get(key)}]`);
        else seen.set(key, i);
        if (CORE_FIELDS[entity].some((c) => c.toLowerCase() === key.toLowerCase())) {
          issue([...path, "key"], `"${key}" is a core ${entity} field: pick another key`);
        }
      }
      const type = str(f.type);
      const select = type === "single_select" || type === "multi_select";
      const options = arr(f.options);
      if (select && options.length === 0) issue([...path, "options"], `must list at least one option for a ${type} field`);
      if (!select && f.options !== undefined && type !== undefined) issue([...path, "options"], `only select fields have options (this one is ${type})`);
      const values = new Map<string, number>();
      options.forEach((o, j) => {
        const v = isObj(o) ? str(o.value) : undefined;
        if (v === undefined) return;
        if (values.has(v)) issue([...path, "options", j, "value"], `"${v}" is also the value of options[${values.get(v)}]`);
        else values.set(v, j);
      });
      if (type === "record_link" && f.target === undefined) issue([...path, "target"], "is missing: a record_link field names the entity it links to (account, contact, lead or opportunity)");
      if (type !== "record_link" && f.target !== undefined && type !== undefined) issue([...path, "target"], "only record_link fields have a target");
      if (type !== "money" && f.currency !== undefined && type !== undefined) issue([...path, "currency"], "only money fields have a currency");
      if (f.default !== undefined && f.default !== null && type !== undefined) {
        const problem = defaultValueProblem(f, f.default);
        if (problem) issue([...path, "default"], problem);
      }
    });
  }

  for (const kind of ["won", "lost", "open"] as const) {
    const seen = new Map<string, number>();
    arr(isObj(raw.reasonCodes) ? raw.reasonCodes[kind] : undefined).forEach((r, i) => {
      const v = isObj(r) ? str(r.value) : undefined;
      if (v === undefined) return;
      if (seen.has(v)) issue(["reasonCodes", kind, i, "value"], `"${v}" is also the value of reasonCodes.${kind}[${seen.get(v)}]`);
      else seen.set(v, i);
    });
  }

  const stageKeys = new Set(pipelines.flatMap((p) => arr(p.stages).map((s) => (isObj(s) ? str(s.key) : undefined))).filter(Boolean));
  const ruleKeys = new Map<string, number>();
  arr(raw.automations).forEach((r, i) => {
    if (!isObj(r)) return;
    const key = str(r.key);
    if (key !== undefined) {
      if (ruleKeys.has(key)) issue(["automations", i, "key"], `"${key}" is also the key of automations[${ruleKeys.get(key)}]`);
      else ruleKeys.set(key, i);
    }
    const trigger = isObj(r.trigger) ? r.trigger : {};
    if (trigger.type === "webhook") issue(["automations", i, "trigger", "type"], "inbound-webhook rules are made in Settings → Automations (their token is shown once)");
    arr(trigger.stages).forEach((s, j) => {
      if (typeof s === "string" && !stageKeys.has(s)) issue(["automations", i, "trigger", "stages", j], `"${s}" is not the key of a declared stage`);
    });
    arr(r.actions).forEach((a, j) => {
      if (isObj(a) && a.type === "move_stage" && typeof a.stage === "string" && !stageKeys.has(a.stage)) {
        issue(["automations", i, "actions", j, "stage"], `"${a.stage}" is not the key of a declared stage`);
      }
    });
  });

  const ai = isObj(raw.ai) ? raw.ai : {};
  arr(ai.privateFields).forEach((entry, i) => {
    const path = ["ai", "privateFields", i];
    const m = typeof entry === "string" ? /^([a-z]+)\.(custom\.)?([A-Za-z][A-Za-z0-9_]*)$/.exec(entry) : null;
    if (!m || !(PRIVACY_ENTITIES as readonly string[]).includes(m[1]!)) {
      issue(path, `must look like "contact.mobilePhone" or "opportunity.custom.arr" (entity: ${PRIVACY_ENTITIES.join(", ")}); got ${JSON.stringify(entry)}`);
      return;
    }
    const [, entity, custom, field] = m;
    if (custom) {
      if (entity === "activity" || !declared[entity!]?.has(field!)) issue(path, `names custom field "${field}", which customFields.${entity} does not declare`);
    } else if (entity !== "activity" && !CORE_FIELDS[entity as ConfigEntity].includes(field!)) {
      issue(path, `"${field}" is not a core ${entity} field (custom fields are written ${entity}.custom.<key>, or marked aiPrivate: true)`);
    }
  });
}

let schema: ReturnType<typeof buildSchema> | undefined;
const buildSchema = () => buildShape().superRefine((parsed, ctx) => crossChecks(parsed, ctx), { when: () => true });
/** The configuration's zod schema (shape + cross-field rules), built once. */
export const bespokeConfigSchema = () => (schema ??= buildSchema());

/** What a configuration file is written as (defaults may be left out). */
export type BespokeConfigInput = z.input<Shape>;
/** A validated configuration, defaults filled in. */
export type BespokeConfig = z.output<Shape>;
export type PipelineConfig = BespokeConfig["pipelines"][number];
export type CustomFieldConfig = BespokeConfig["customFields"]["account"][number];
export type AutomationConfig = BespokeConfig["automations"][number];

/** Typed identity for `bespoke.config.ts`: the editor completes and checks the file; validation runs at start/deploy. */
export function defineConfig(config: BespokeConfigInput): BespokeConfigInput {
  return config;
}

export type BespokeConfigResult = { ok: true; config: BespokeConfig } | { ok: false; problems: string[] };

/** `pipelines[0].stages[2].probability` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || "(top level)";
}

/** Validates a configuration; lists every problem (with its path) instead of stopping at the first. */
export function validateBespokeConfig(raw: unknown): BespokeConfigResult {
  const parsed = bespokeConfigSchema().safeParse(raw);
  if (parsed.success) return { ok: true, config: parsed.data };
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const i of parsed.error.issues) {
    const line = `${formatPath(i.path)} ${i.message}`;
    if (!seen.has(line)) problems.push(line);
    seen.add(line);
  }
  return { ok: false, problems };
}
