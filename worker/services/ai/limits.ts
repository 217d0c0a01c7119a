import type { Config } from "../../config";
import { ProblemError } from "../../lib/errors";
import type { RateLimiterNamespace } from "../../lib/services";

const DAY_SECONDS = 86_400;

const stub = (limiter: RateLimiterNamespace, key: string) => limiter.get(limiter.idFromName(key));
/** One Durable Object per workspace + user for request rates, one per workspace for the token budget. */
export const requestsKey = (workspaceId: string, userId: string) => `ai:requests:${workspaceId}:${userId}`;
export const tokensKey = (workspaceId: string) => `ai:tokens:${workspaceId}`;

function waitText(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.ceil(seconds / 60)} min`;
  const h = Math.floor(seconds / 3600);
  const m = Math.ceil((seconds % 3600) / 60);
  return m ? `${h} h ${m} min` : `${h} h`;
}

function tooMany(detail: string, limit: string, retryAfter: number): ProblemError {
  return new ProblemError(
    429,
    "Too Many Requests",
    detail,
    { limit, retryAfter, retryAt: new Date(Date.now() + retryAfter * 1000).toISOString() },
    { "Retry-After": String(retryAfter) },
  );
}

/**
 * Refuses an AI request (429 with Retry-After) when the workspace's token budget for the last 24 hours is spent or
 * the user made too many AI requests in the last minute. The budget is checked first so a refused request does not
 * also use up one of the user's request slots.
 */
export async function enforceAiLimits(input: { limiter: RateLimiterNamespace; config: Config; workspaceId: string; userId: string | null }): Promise<void> {
  const { limiter, config, workspaceId, userId } = input;
  const budget = await stub(limiter, tokensKey(workspaceId)).check(config.AI_TOKENS_PER_DAY, DAY_SECONDS);
  if (!budget.allowed) {
    throw tooMany(
      `This workspace has used its ${config.AI_TOKENS_PER_DAY} AI tokens for the last 24 hours; try again in ${waitText(budget.retryAfter)}`,
      "tokens_per_day",
      budget.retryAfter,
    );
  }
  if (!userId) return;
  const rate = await stub(limiter, requestsKey(workspaceId, userId)).hit(config.AI_REQUESTS_PER_MINUTE, 60, 1);
  if (!rate.allowed) {
    throw tooMany(
      `You made ${config.AI_REQUESTS_PER_MINUTE} AI requests in the last minute (the limit); try again in ${waitText(rate.retryAfter)}`,
      "requests_per_minute",
      rate.retryAfter,
    );
  }
}

/** Whether the workspace still has token budget (background jobs fall back to the offline engine instead of failing). */
export async function tokenBudgetLeft(limiter: RateLimiterNamespace, config: Config, workspaceId: string): Promise<boolean> {
  return (await stub(limiter, tokensKey(workspaceId)).check(config.AI_TOKENS_PER_DAY, DAY_SECONDS)).allowed;
}

/** Records tokens actually spent against the workspace's rolling 24-hour budget. */
export async function chargeTokens(limiter: RateLimiterNamespace, workspaceId: string, tokens: number): Promise<void> {
  if (tokens > 0) await stub(limiter, tokensKey(workspaceId)).charge(DAY_SECONDS, tokens);
}

/** Tokens spent in the last 24 hours (for the usage page). */
export async function tokensUsed(limiter: RateLimiterNamespace, workspaceId: string): Promise<number> {
  return (await stub(limiter, tokensKey(workspaceId)).charge(DAY_SECONDS, 0)).used;
}
