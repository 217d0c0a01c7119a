import { sql, type SQL } from "drizzle-orm";
import type { SearchResultType } from "../../schemas/search";

/** Custom field types whose values the global search finds. */
export const SEARCHABLE_TYPES = ["text", "long_text", "email", "url", "phone"] as const;
/** Below every core match (a name prefix scores 0.9, a fuzzy name 0.3–0.6): a custom value is a secondary reason. */
const SCORE = 0.45;
/** GIN matches read per record type before ordering: bounds the cost of a word most records contain. */
const CANDIDATES = 200;

/** The GIN-indexed expression over a record's string custom values (indexes.ts creates the index). */
export const CUSTOM_TSVECTOR = `jsonb_to_tsvector('simple'::regconfig, custom, '["string"]'::jsonb)`;

const sources: Record<SearchResultType, { table: string; entity: string; title: string }> = {
  account: { table: "accounts", entity: "account", title: "t.name" },
  contact: { table: "contacts", entity: "contact", title: "coalesce(nullif(t.name, ''), t.email, '(no name)')" },
  lead: { table: "leads", entity: "lead", title: "coalesce(nullif(t.name, ''), t.email, '(no name)')" },
  opportunity: { table: "opportunities", entity: "opportunity", title: "t.name" },
};

const textualTypes = () => sql.join(SEARCHABLE_TYPES.map((x) => sql`${x}`), sql`, `);
/**
 * Evaluated once per statement (a one-time filter): a table whose entity has no textual custom field is not read at
 * all — it has no search index either (indexes.ts creates it with the first textual field).
 */
const hasTextual = (workspaceId: string, entity: string) =>
  sql`exists (select 1 from custom_fields g where g.workspace_id = ${workspaceId} and g.entity = ${entity} and g.deleted_at is null and g.type in (${textualTypes()}))`;

/**
 * Records whose textual custom values (text, long text, e-mail, URL, phone) hold every word of the query as a word
 * prefix, through the per-table GIN index on CUSTOM_TSVECTOR; each hit is re-checked against the registry (only live
 * textual fields count, not select values or ids that are strings too) and shows "<field label>: <value>" as its
 * subtitle. Null when the query has no word of 3+ letters or digits. When more than CANDIDATES records match, the hits
 * shown are the newest of an arbitrary CANDIDATES of them (bounded cost over completeness, for a secondary tier).
 */
export function customSearchStatement(input: { workspaceId: string; q: string; types: readonly SearchResultType[]; limit: number }): SQL | null {
  const words = [...new Set(input.q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3))].slice(0, 6);
  if (!words.length || !input.types.length) return null;
  const tsq = words.map((w) => `${w}:*`).join(" & ");
  const parts = input.types.map((type) => {
    const s = sources[type];
    // Candidates straight from the GIN index, at most CANDIDATES of them and in no order (a common word matches
    // 100k rows; ordering them all first cost 1.7 s at 200k deals), then the newest few re-checked against the registry.
    return sql`(select ${type}::text as type, t.id, ${sql.raw(s.title)} as title, m.subtitle, ${SCORE}::float8 as score, t.updated_at
      from (select c.* from (select * from ${sql.identifier(s.table)} t
              where ${hasTextual(input.workspaceId, s.entity)} and t.workspace_id = ${input.workspaceId} and t.deleted_at is null and ${sql.raw(CUSTOM_TSVECTOR.replace("custom", "t.custom"))} @@ to_tsquery('simple', ${tsq})
              limit ${CANDIDATES}) c
            order by c.updated_at desc limit ${input.limit * 2}) t
      cross join lateral (
        select cf.label || ': ' || left(t.custom ->> cf.key, 80) as subtitle from custom_fields cf
        where cf.workspace_id = t.workspace_id and cf.entity = ${s.entity} and cf.deleted_at is null
          and cf.type in (${textualTypes()})
          and to_tsvector('simple', coalesce(t.custom ->> cf.key, '')) @@ to_tsquery('simple', ${tsq})
        order by cf.position limit 1) m
      order by t.updated_at desc limit ${input.limit})`;
  });
  return sql`select type, id, title, subtitle, score, updated_at from (${sql.join(parts, sql` union all `)}) u order by updated_at desc limit ${input.limit}`;
}
