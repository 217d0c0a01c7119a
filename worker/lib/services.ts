import { createDatabase, type Database } from "../../db/client";
import type { Config } from "../config";
import { createEmailProvider, type EmailProvider } from "../email";
import { attachmentStore, type AttachmentStore } from "../storage/attachments";
import type { AutomationRunner } from "../automations/services";

/** The RATE_LIMITER Durable Object namespace: one object per bucket name (sign-in, uploads, AI). */
export type RateLimiterNamespace = Env["RATE_LIMITER"];

export interface Queues {
  /** AI summary jobs (worker/queues/ai-summary.ts). */
  ai: Env["AI_QUEUE"];
  /** Webhook deliveries (worker/queues/webhooks.ts). */
  webhooks: Env["WEBHOOK_QUEUE"];
  /** Domain events relayed from the outbox (worker/events/outbox.ts → worker/queues/events.ts). */
  events: Env["EVENTS_QUEUE"];
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * Everything a request (or a queue batch, or a cron run) depends on, built once at its start. Routes and services
 * take what they need from here; none builds a dependency or reads a raw binding itself.
 */
export interface Services {
  db: Database;
  /** Built on first use: most requests send no mail. */
  readonly mailer: EmailProvider;
  queues: Queues;
  limiter: RateLimiterNamespace;
  clock: Clock;
  /** Attachment files (the ATTACHMENTS bucket). */
  storage: AttachmentStore;
  /** Starts automation runs: the Workflow binding and the per-workspace cap of runs per minute. */
  automations: AutomationRunner;
}

export interface ServiceOptions {
  /** Per-statement limit of the database handle (ms; 0 = none). Requests use DB_STATEMENT_TIMEOUT_MS. */
  statementTimeoutMs?: number;
}

export function createServices(env: Env, config: Config, options: ServiceOptions = {}): Services {
  const db = createDatabase(config.DATABASE_URL, config.NEON_LOCAL_PROXY, { statementTimeoutMs: options.statementTimeoutMs });
  let mailer: EmailProvider | undefined;
  return {
    db,
    get mailer() {
      mailer ??= createEmailProvider(config, db.http);
      return mailer;
    },
    queues: { ai: env.AI_QUEUE, webhooks: env.WEBHOOK_QUEUE, events: env.EVENTS_QUEUE },
    limiter: env.RATE_LIMITER,
    clock: systemClock,
    storage: attachmentStore(env.ATTACHMENTS),
    automations: { workflow: env.AUTOMATION_WORKFLOW, runsPerMinute: config.AUTOMATION_RUNS_PER_MINUTE },
  };
}
