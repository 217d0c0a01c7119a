import { rowsOf, type Database } from "../../../db/client";
import type { SearchItem, SearchResponse, SearchResultType } from "../../schemas/search";
import { buildSearchStatements } from "./query";

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
  const [, result] = await db.http.batch([db.http.execute(setup), db.http.execute(query)]);
  const byType = new Map<SearchResultType, SearchItem[]>();
  let total = 0;
  for (const row of rowsOf<Row>(result)) {
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
