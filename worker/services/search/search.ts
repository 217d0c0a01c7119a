import { rowsOf, type Database } from "../../../db/client";
import type { SearchItem, SearchResponse, SearchResultType } from "../../schemas/search";
import { buildSearchStatements } from "./query";
import { searchTypes } from "../../schemas/search";
import { customSearchStatement } from "../custom-fields/search";

type Row = { type: SearchResultType; id: string; title: string; subtitle: string | null; score: number | string };

/**
 * Type-ahead search across accounts, contacts, leads and deals of one workspace (ranking and index use: query.ts).
 * One round trip: the threshold setting and the query go as one batch (one transaction over neon-http).
 */
export async function searchRecords(input: {
  db: Database;
  workspaceId: string;
  q: string;
  types?: readonly SearchResultType[];
  limit: number;
}): Promise<SearchResponse> {
  const { db } = input;
  const { normalized, setup, query } = buildSearchStatements(input);
  // Textual custom values, in the same round trip; their matches rank below every core match (custom-fields/search.ts).
  const custom = customSearchStatement({ workspaceId: input.workspaceId, q: normalized, types: input.types?.length ? input.types : searchTypes, limit: input.limit });
  const [, result, customResult] = await db.http.batch([db.http.execute(setup), db.http.execute(query), ...(custom ? [db.http.execute(custom)] : [])] as [ReturnType<typeof db.http.execute>, ...ReturnType<typeof db.http.execute>[]]);
  const core = rowsOf<Row>(result);
  const seen = new Set(core.map((r) => r.id));
  const merged = [...core, ...rowsOf<Row>(customResult ?? []).filter((r) => !seen.has(r.id))].slice(0, input.limit);
  const byType = new Map<SearchResultType, SearchItem[]>();
  let total = 0;
  for (const row of merged) {
    const item: SearchItem = { id: row.id, type: row.type, title: row.title, subtitle: row.subtitle, score: Number(row.score) };
    // Rows arrive best first, so each group's first item is its best and groups come out in order of their best.
    const group = byType.get(item.type) ?? [];
    if (!group.length) byType.set(item.type, group);
    group.push(item);
    total++;
  }
  const groups = [...byType.entries()].map(([type, items]) => ({ type, items }));
  return { query: normalized, groups, total };
}
