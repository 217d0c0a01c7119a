import type { Database } from "../../../db/client";
import type { AiContext } from "../../ai/context";
import type { Config } from "../../config";
import type { Actor } from "../audit/record";
import type { Queues, RateLimiterNamespace } from "../../lib/services";

/** What an AI service needs: the database, the request's configuration, queue and rate limiter (from `c.var.services`), the actor. */
export interface AiDeps {
  db: Database;
  config: Config;
  limiter: RateLimiterNamespace;
  queues: Pick<Queues, "ai">;
  actor: Actor;
}

/** Which record columns an AI activity about this context is filed under, so it shows on the right timelines. */
export function activityLinks(ctx: AiContext, recipientId?: string | null) {
  switch (ctx.target.type) {
    case "opportunity":
      return { opportunityId: ctx.target.id, accountId: ctx.opportunity?.accountId ?? null, contactId: recipientId ?? null, leadId: null };
    case "account":
      return { opportunityId: null, accountId: ctx.target.id, contactId: recipientId ?? null, leadId: null };
    case "contact":
      return { opportunityId: null, accountId: ctx.contact?.accountId ?? null, contactId: ctx.target.id, leadId: null };
    case "lead":
      return { opportunityId: null, accountId: null, contactId: null, leadId: ctx.target.id };
  }
}
