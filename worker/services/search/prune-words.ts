import { sql } from "drizzle-orm";
import { rowsOf, type Executor } from "../../../db/client";

/**
 * The scheduled cleanup of global search's word dictionary (search_words, see db/schema/search.ts): drops the words
 * no live record uses any more (renamed, deleted, or imported by mistake and removed). Such words never produce a
 * wrong result, only a wasted lookup, so this is housekeeping, not correctness.
 *
 * One statement (one transaction) per workspace, so no run holds much at once. The SQL function search_words_prune
 * (migration 0007) skips a workspace whose writers are mid-transaction rather than wait for them; it is tried again on
 * the next run. Returns how many words went.
 */
export async function pruneSearchWords(input: { db: Executor; workspaceId?: string }): Promise<number> {
  const workspaces = input.workspaceId
    ? [input.workspaceId]
    : rowsOf<{ id: string }>(
        await input.db.execute(sql`select w.id from workspaces w where exists (select 1 from search_words sw where sw.workspace_id = w.id) order by w.id`),
      ).map((r) => r.id);
  let removed = 0;
  for (const id of workspaces) {
    const [row] = rowsOf<{ n: number | string }>(await input.db.execute(sql`select search_words_prune(${id}::uuid) as n`));
    removed += Number(row?.n ?? 0);
  }
  return removed;
}
