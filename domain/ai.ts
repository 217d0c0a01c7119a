/*
 * What the AI context holds of a record, derived from the declarations: every field not marked `ai: false`, long
 * text clipped, and the fields marked `ai: { private: true }` removed by default (configuration may add more).
 */
import { domain } from "./index";
import type { EntityDecl, EntityKey, FieldDecl } from "./field";
import type { OutputValue } from "./contracts";

/** Long text is clipped to this many characters unless the field says otherwise. */
export const AI_CLIP = 1500;

type AiKeys<Fs extends Record<string, FieldDecl>> = { [K in keyof Fs]: Fs[K] extends { ai: false } ? never : Fs[K] extends { inputOnly: true } ? never : K }[keyof Fs];
/** The declared fields of an entity as the AI context carries them (present unless private). */
export type AiFieldsOf<E extends EntityDecl> = { [K in AiKeys<E["fields"]>]?: OutputValue<E["fields"][K]> };

const memo = new WeakMap<EntityDecl, [string, FieldDecl][]>();
export function aiFieldsOf(e: EntityDecl): [string, FieldDecl][] {
  let hit = memo.get(e);
  if (!hit) memo.set(e, (hit = Object.entries(e.fields).filter(([, f]) => f.ai !== false && !f.inputOnly)));
  return hit;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** A row's AI-visible fields: timestamps as ISO strings, long text clipped. */
export function aiValues<E extends EntityDecl>(e: E, row: Record<string, unknown>): AiFieldsOf<E> {
  const out: Record<string, unknown> = {};
  for (const [key, f] of aiFieldsOf(e)) {
    if (!(key in row)) continue;
    let v = row[key];
    if (v instanceof Date) v = v.toISOString();
    const limit = (f.ai && f.ai.clip) || (f.type === "long_text" ? AI_CLIP : undefined);
    if (typeof v === "string" && limit) v = clip(v, limit);
    out[key] = v;
  }
  return out as AiFieldsOf<E>;
}

/** Fields private by declaration, as `{ entity, field }` pairs (the shape AI_PRIVATE_FIELDS configures). */
export function declaredPrivateFields(): { entity: EntityKey; field: string }[] {
  return (Object.values(domain) as unknown as EntityDecl[]).flatMap((e) =>
    Object.entries(e.fields)
      .filter(([, f]) => f.ai && f.ai.private)
      .map(([field]) => ({ entity: e.key, field })),
  );
}
