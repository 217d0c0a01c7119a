/** A comment as the API returns it (a `comment` activity seen through its own contract). */
export interface CommentBase {
  id: string;
  parentId: string | null;
  body: string;
  author: { id: string; name: string } | null;
  mentions: { id: string; name: string }[];
  createdAt: string;
  editedAt: string | null;
}
export interface Comment extends CommentBase {
  replies?: CommentBase[];
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

export function serializeComment(row: Record<string, unknown>, names: Map<string, string>): CommentBase {
  const props = (row.properties ?? {}) as { mentions?: string[]; editedAt?: string };
  const authorId = (row.actorId ?? row.actor_id ?? null) as string | null;
  return {
    id: row.id as string,
    parentId: ((row.parentId ?? row.parent_id) as string | null) ?? null,
    body: (row.body as string | null) ?? "",
    author: authorId ? { id: authorId, name: names.get(authorId) ?? "" } : null,
    mentions: (props.mentions ?? []).map((id) => ({ id, name: names.get(id) ?? "" })),
    createdAt: iso(row.happenedAt ?? row.happened_at),
    editedAt: props.editedAt ?? null,
  };
}
