import { z } from "zod";

/** Keywords OpenAI's strict structured-output mode rejects; zod still enforces them when the answer is parsed. */
const UNSUPPORTED = new Set(["$schema", "minLength", "maxLength", "pattern", "format", "minimum", "maximum", "default"]);

/**
 * A JSON schema for OpenAI structured output (`strict: true`) derived from a zod schema: every property required,
 * `additionalProperties: false` on every object, and only keywords strict mode accepts. Output schemas use
 * `.nullable()` rather than `.optional()`, so "all properties required" loses nothing.
 */
export function strictJsonSchema(schema: z.ZodType): Record<string, unknown> {
  return tighten(z.toJSONSchema(schema, { target: "draft-2020-12", unrepresentable: "throw" })) as Record<string, unknown>;
}

function tighten(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tighten);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (UNSUPPORTED.has(k)) continue;
    out[k] = k === "properties" ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, tighten(s)])) : tighten(v);
  }
  if (out.type === "object" || out.properties) {
    out.properties ??= {};
    out.required = Object.keys(out.properties as object);
    out.additionalProperties = false;
  }
  return out;
}
