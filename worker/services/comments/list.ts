import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import { loadCommentTarget, recordColumnOf, type CommentTargetType } from "./target";
import { serializeComment, type Comment, type CommentBase } from "./serialize";

/** Enough for any real discussion; a thread beyond it shows its first 500 comments. */
const MAX = 500;

/**
 * A record's (or a timeline item's) comments, oldest first, threaded one level: top-level comments with their
 * replies. A record's comments are read through its timeline index (its id column), a timeline item's through
 * activities_comments_parent_idx.
 */
export async function listComments(input: { db: Database; workspaceId: string; type: CommentTargetType; id: string }): Promise<Comment[]> {
  const { db, workspaceId, type, id } = input;
  await loadCommentTarget(db.http, workspaceId, type, id);
  const col = recordColumnOf(type);
  const res = col
    ? await db.http.execute(sql`
        select a.*, u.name as actor_name from activities a left join users u on u.id = a.actor_id
        where a.${sql.identifier(col.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`))} = ${id} and a.workspace_id = ${workspaceId}
          and a.type = 'comment' and a.deleted_at is null
        order by a.happened_at, a.id limit ${MAX}`)
    : await db.http.execute(sql`
        with top as (
          select a.* from activities a where a.parent_id = ${id} and a.type = 'comment' and a.deleted_at is null and a.workspace_id = ${workspaceId}
          order by a.happened_at, a.id limit ${MAX})
        select t.*, u.name as actor_name from (
          select * from top
          union all
          select r.* from activities r where r.parent_id in (select id from top) and r.type = 'comment' and r.deleted_at is null
        ) t left join users u on u.id = t.actor_id
        order by t.happened_at, t.id limit ${MAX}`);
  const rows = rowsOf(res);
  const names = new Map<string, string>();
  for (const r of rows) if (r.actor_id) names.set(String(r.actor_id), String(r.actor_name ?? ""));
  const mentioned = [...new Set(rows.flatMap((r) => ((r.properties as { mentions?: string[] })?.mentions ?? []).filter((m) => !names.has(m))))];
  if (mentioned.length) {
    const who = rowsOf(await db.http.execute(sql`select id, name from users where workspace_id = ${workspaceId} and id = any(${`{${mentioned.join(",")}}`}::uuid[])`));
    for (const u of who) names.set(String(u.id), String(u.name));
  }
  return thread(rows.map((r) => serializeComment(r, names)), type === "activity" ? id : null);
}

/** Top-level comments (parent = the item, or none for a record) with their replies nested. */
function thread(all: CommentBase[], rootParent: string | null): Comment[] {
  const top = all.filter((c) => c.parentId === rootParent);
  const byParent = new Map<string, CommentBase[]>();
  for (const c of all) if (c.parentId !== rootParent && c.parentId) byParent.set(c.parentId, [...(byParent.get(c.parentId) ?? []), c]);
  return top.map((c) => ({ ...c, replies: byParent.get(c.id) ?? [] }));
}
