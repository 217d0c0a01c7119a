import type { Config } from "../config";
import type { AiEngine, AiSource } from "../schemas/ai";
import { citedIds, invalidReferences } from "./citations";
import { contextSources, type AiContext } from "./context";
import { features, type Feature, type FeatureArgs, type FeatureOutputs } from "./features";
import { LOCAL_MODEL, LOCAL_PROVIDER, localGenerate } from "./local";
import { OpenAIProvider } from "./openai";
import { estimateCostMicros } from "./pricing";

export interface AiRun<F extends Feature> {
  feature: F;
  output: FeatureOutputs[F];
  engine: AiEngine;
  /** Every id cited in the output, in order of first appearance; all of them were in the context. */
  citations: string[];
  sources: AiSource[];
  /** Provider calls made (retries inside the SDK not counted): 0 for the offline engine alone. */
  attempts: number;
}

/**
 * Produces one feature's output for a context. With an OpenAI key the model answers; its answer must parse against
 * the feature's schema and cite only ids from the context. A citation outside the context earns one corrective retry;
 * anything else that goes wrong (timeout, rate limit after the SDK's retries, malformed or refused output, a second
 * bad citation) falls back to the offline engine, so the caller always gets a grounded answer. Never throws for a
 * provider failure.
 */
export async function runAi<F extends Feature>(input: {
  feature: F;
  ctx: AiContext;
  args: FeatureArgs[F];
  config: Config;
  /** Skip OpenAI (e.g. the workspace's token budget is spent); recorded as the fallback reason. */
  forceLocal?: string;
  /**
   * A user is waiting: the provider gets AI_INTERACTIVE_BUDGET_MS in total (retries and the corrective round
   * included), then the offline engine answers with fallbackReason "time_budget_exceeded".
   */
  interactive?: boolean;
}): Promise<AiRun<F>> {
  const { feature, ctx, args, config } = input;
  const started = Date.now();
  let inputTokens = 0;
  let outputTokens = 0;
  let attempts = 0;
  let model = config.OPENAI_MODEL;
  let fallbackReason: string | null = input.forceLocal ?? null;

  if (config.OPENAI_API_KEY && !input.forceLocal) {
    const provider = new OpenAIProvider(config);
    // The budget is time spent waiting on the provider: loading the SDK (once per isolate) is not part of it.
    await provider.ready();
    const deadline = input.interactive ? Date.now() + config.AI_INTERACTIVE_BUDGET_MS : undefined;
    let correction: string | undefined;
    for (let round = 0; round < 2; round++) {
      if (deadline !== undefined && Date.now() >= deadline) {
        fallbackReason = "time_budget_exceeded";
        break;
      }
      attempts++;
      const res = await provider.generate(feature, ctx, args, correction, deadline);
      inputTokens += res.inputTokens;
      outputTokens += res.outputTokens;
      model = res.model;
      if (!res.ok) {
        fallbackReason = res.reason;
        log("warn", "ai: provider failed, using the offline engine", { feature, reason: res.reason, detail: res.detail });
        break;
      }
      let json: unknown;
      try {
        json = JSON.parse(res.text);
      } catch {
        fallbackReason = "malformed_output";
        log("warn", "ai: provider returned malformed JSON", { feature, sample: res.text.slice(0, 120) });
        break;
      }
      const parsed = features[feature].schema.safeParse(json);
      if (!parsed.success) {
        fallbackReason = "invalid_output";
        log("warn", "ai: provider output does not match the schema", { feature, issues: parsed.error.issues.slice(0, 5) });
        break;
      }
      const output = dedupeCitations(parsed.data);
      const bad = invalidReferences(feature, output, ctx);
      if (!bad.length) {
        return finish(feature, output, ctx, {
          provider: "openai",
          model,
          latencyMs: Date.now() - started,
          inputTokens,
          outputTokens,
          estimatedCostMicros: estimateCostMicros(model, inputTokens, outputTokens),
          fallbackReason: null,
        }, attempts);
      }
      fallbackReason = "invalid_citations";
      log("warn", "ai: provider cited ids outside the context", { feature, round, bad: bad.slice(0, 10) });
      correction = `Your previous answer referred to ids that are not in CONTEXT: ${bad.slice(0, 20).join(", ")}. Answer again and cite only ids that appear in CONTEXT.`;
    }
  }

  const output = localGenerate(feature, ctx, args);
  const bad = invalidReferences(feature, output, ctx);
  // The offline engine reads ids from the context itself; a miss here is a bug, not bad luck.
  if (bad.length) throw new Error(`offline engine cited ids outside the context: ${bad.join(", ")}`);
  return finish(feature, output, ctx, {
    provider: LOCAL_PROVIDER,
    model: LOCAL_MODEL,
    latencyMs: Date.now() - started,
    // Tokens spent on rejected provider answers still cost money and count against the budget.
    inputTokens,
    outputTokens,
    estimatedCostMicros: estimateCostMicros(model, inputTokens, outputTokens),
    fallbackReason,
  }, attempts);
}

function finish<F extends Feature>(feature: F, output: FeatureOutputs[F], ctx: AiContext, engine: AiEngine, attempts: number): AiRun<F> {
  const citations = citedIds(output);
  const known = contextSources(ctx);
  return { feature, output, engine, citations, sources: citations.map((id) => known.get(id)!), attempts };
}

/** The same id cited twice on one line says nothing more; keep the first. */
function dedupeCitations<T>(v: T): T {
  if (Array.isArray(v)) return v.map(dedupeCitations) as T;
  if (v && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === "citations" && Array.isArray(x) ? [...new Set(x)] : dedupeCitations(x)])) as T;
  }
  return v;
}

function log(level: string, msg: string, data: Record<string, unknown>) {
  console.log(JSON.stringify({ level, msg, ...data }));
}
