import type { AiContext } from "./context";
import { contextContacts, contextSources } from "./context";
import type { Feature, FeatureOutputs } from "./features";

/** Every id cited anywhere in an output, in order of first appearance. */
export function citedIds(output: unknown): string[] {
  const seen = new Set<string>();
  const walk = (v: unknown, key?: string) => {
    if (Array.isArray(v)) {
      for (const x of v) if (key === "citations" && typeof x === "string") seen.add(x);
      else walk(x);
      return;
    }
    if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(output);
  return [...seen];
}

/**
 * The ids an output refers to that were not in its context: cited ids, plus contacts named as a recipient or a
 * task's contact (which must be contacts of the context). Empty means the output is grounded.
 */
export function invalidReferences<F extends Feature>(feature: F, output: FeatureOutputs[F], ctx: AiContext): string[] {
  const known = contextSources(ctx);
  const contacts = new Set(contextContacts(ctx).map((c) => c.id));
  const bad = new Set<string>();
  for (const id of citedIds(output)) if (!known.has(id)) bad.add(id);
  const contactRefs: (string | null)[] = [];
  if (feature === "email_draft") contactRefs.push((output as FeatureOutputs["email_draft"]).toContactId);
  if (feature === "next_actions") for (const a of (output as FeatureOutputs["next_actions"]).actions) contactRefs.push(a.task.contactId);
  for (const id of contactRefs) if (id !== null && !contacts.has(id)) bad.add(id);
  return [...bad];
}
