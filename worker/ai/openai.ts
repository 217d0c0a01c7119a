import type OpenAI from "openai";
import type { Config } from "../config";
import type { AiContext } from "./context";
import { features, type Feature, type FeatureArgs } from "./features";
import { strictJsonSchema } from "./json-schema";
import { buildPrompt } from "./prompts";

/** Retries inside the SDK on 408/409/429/5xx and timeouts, waiting what Retry-After (or retry-after-ms) asks. */
export const OPENAI_MAX_RETRIES = 2;
const MAX_OUTPUT_TOKENS = 6000;

export type AttemptFailure =
  | "timeout"
  | "rate_limited"
  | "upstream_error"
  | "unreachable"
  | "auth_error"
  | "bad_request"
  | "refused"
  | "incomplete_output"
  /** The interactive time budget ran out (retries included). */
  | "time_budget_exceeded";

export type Attempt =
  | { ok: true; text: string; model: string; inputTokens: number; outputTokens: number }
  | { ok: false; reason: AttemptFailure; detail: string; model: string; inputTokens: number; outputTokens: number };

const schemaCache = new Map<Feature, Record<string, unknown>>();
const schemaFor = (f: Feature) => {
  let s = schemaCache.get(f);
  if (!s) schemaCache.set(f, (s = strictJsonSchema(features[f].schema)));
  return s;
};

type OpenAIModule = typeof import("./openai-sdk");
let sdk: Promise<OpenAIModule> | undefined;
/**
 * The SDK is loaded on the first AI call, not at start-up: its module scope costs a new isolate ~30 ms of CPU, and most
 * isolates (every request but an AI job with OPENAI_API_KEY set) never call it.
 */
const loadSdk = () => (sdk ??= import("./openai-sdk"));

/**
 * Calls the OpenAI Responses API (or any compatible server at OPENAI_BASE_URL) with structured output. The client
 * is built per call from the request's configuration: no sockets or keys outlive the request, and tests can point
 * one request at a fake server.
 */
export class OpenAIProvider {
  readonly name = "openai" as const;
  private client?: OpenAI;

  constructor(private readonly config: Config) {}

  private async connect(): Promise<{ client: OpenAI; sdk: OpenAIModule }> {
    const loaded = await loadSdk();
    this.client ??= new loaded.OpenAI({
      apiKey: this.config.OPENAI_API_KEY,
      baseURL: this.config.OPENAI_BASE_URL,
      timeout: this.config.AI_TIMEOUT_MS,
      maxRetries: OPENAI_MAX_RETRIES,
    });
    return { client: this.client, sdk: loaded };
  }

  /** Loads the SDK and builds the client (the first call in an isolate pays for the module). */
  async ready(): Promise<void> {
    await this.connect();
  }

  get model(): string {
    return this.config.OPENAI_MODEL;
  }

  /**
   * One call (with the SDK's retries). `deadline` (epoch ms) bounds all of it: the request and any retry or
   * Retry-After wait are abandoned when it passes, so a hung provider costs the user the budget, not 3 × the timeout.
   */
  async generate<F extends Feature>(feature: F, ctx: AiContext, args: FeatureArgs[F], correction?: string, deadline?: number): Promise<Attempt> {
    const { instructions, input } = buildPrompt(feature, ctx, args, correction, this.config.bespoke?.ai.promptAdditions);
    const model = this.config.OPENAI_MODEL;
    const { client, sdk } = await this.connect();
    const budget = deadline === undefined ? undefined : withDeadline(deadline);
    try {
      const call = client.responses.create(
        {
          model,
          instructions,
          input,
          text: { format: { type: "json_schema", name: features[feature].schemaName, schema: schemaFor(feature), strict: true } },
          max_output_tokens: MAX_OUTPUT_TOKENS,
          // CRM data is not kept on OpenAI's side for later retrieval.
          store: false,
        },
        budget ? { signal: budget.signal, timeout: Math.max(1, Math.min(this.config.AI_TIMEOUT_MS, deadline! - Date.now())) } : undefined,
      );
      // The SDK's back-off sleeps do not watch the signal: the race ends the wait at the deadline whatever it does.
      const res = budget ? await Promise.race([call, budget.expired]) : await call;
      const usage = { model: res.model || model, inputTokens: res.usage?.input_tokens ?? 0, outputTokens: res.usage?.output_tokens ?? 0 };
      const refusal = res.output
        ?.flatMap((item) => (item.type === "message" ? item.content : []))
        .find((c) => c.type === "refusal");
      if (refusal && refusal.type === "refusal") return { ok: false, reason: "refused", detail: refusal.refusal, ...usage };
      if (res.status === "incomplete") {
        return { ok: false, reason: "incomplete_output", detail: res.incomplete_details?.reason ?? "incomplete", ...usage };
      }
      return { ok: true, text: res.output_text ?? "", ...usage };
    } catch (err) {
      const reason = budget?.signal.aborted ? "time_budget_exceeded" : classify(sdk, err);
      return { ok: false, reason, detail: err instanceof Error ? err.message.slice(0, 300) : String(err), model, inputTokens: 0, outputTokens: 0 };
    } finally {
      budget?.clear();
    }
  }
}

/** An abort signal and a rejecting promise that both fire at `deadline`. */
function withDeadline(deadline: number) {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    const fire = () => {
      controller.abort();
      reject(new Error("the interactive time budget ran out"));
    };
    const left = deadline - Date.now();
    if (left <= 0) fire();
    else timer = setTimeout(fire, left);
  });
  expired.catch(() => {});
  return { signal: controller.signal, expired, clear: () => clearTimeout(timer) };
}

function classify(sdk: OpenAIModule, err: unknown): AttemptFailure {
  if (err instanceof sdk.APIConnectionTimeoutError) return "timeout";
  if (err instanceof sdk.APIConnectionError) return "unreachable";
  if (err instanceof sdk.RateLimitError) return "rate_limited";
  if (err instanceof sdk.AuthenticationError || err instanceof sdk.PermissionDeniedError) return "auth_error";
  if (err instanceof sdk.BadRequestError) return "bad_request";
  if (err instanceof sdk.APIError) return "upstream_error";
  return "upstream_error";
}
