/**
 * List prices in US dollars per million tokens (input, output), to estimate what a call cost. Longest matching
 * prefix wins, so dated snapshots ("gpt-5-mini-2025-08-07") price like their family. Unknown models are priced like
 * gpt-5-mini and the estimate says so by being an estimate; exact billing is OpenAI's.
 */
const PRICES: [prefix: string, input: number, output: number][] = [
  ["gpt-5-nano", 0.05, 0.4],
  ["gpt-5-mini", 0.25, 2.0],
  ["gpt-5", 1.25, 10.0],
  ["gpt-4.1-nano", 0.1, 0.4],
  ["gpt-4.1-mini", 0.4, 1.6],
  ["gpt-4.1", 2.0, 8.0],
  ["gpt-4o-mini", 0.15, 0.6],
  ["gpt-4o", 2.5, 10.0],
  ["o4-mini", 1.1, 4.4],
  ["o3", 2.0, 8.0],
];
const DEFAULT: [number, number] = [0.25, 2.0];

/** Estimated cost in millionths of a dollar (USD per million tokens × tokens = micro-dollars). */
export function estimateCostMicros(model: string, inputTokens: number, outputTokens: number): number {
  if (!inputTokens && !outputTokens) return 0;
  const m = model.toLowerCase();
  const hit = PRICES.filter(([p]) => m.startsWith(p)).sort((a, b) => b[0].length - a[0].length)[0];
  const [inp, out] = hit ? [hit[1], hit[2]] : DEFAULT;
  return Math.ceil(inputTokens * inp + outputTokens * out);
}
