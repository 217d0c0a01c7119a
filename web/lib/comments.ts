import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { apiRequest } from "./api";
import type { components } from "./api-schema";

export type Comment = components["schemas"]["Comment"];
/** Records, or "activities" for a timeline item's comments. */
export type CommentEntity = "accounts" | "contacts" | "leads" | "opportunities" | "activities";

const key = (entity: CommentEntity, id: string) => ["comments", entity, id] as const;

/** A record's (or timeline item's) comment threads, with the writes that refresh them. */
export function useComments(entity: CommentEntity, id: string, enabled = true) {
  const client = useQueryClient();
  const query = useQuery({ queryKey: key(entity, id), queryFn: ({ signal }) => apiRequest<{ data: Comment[] }>(`/api/${entity}/${id}/comments`, { signal }).then((r) => r.data), enabled });
  const refresh = useCallback(() => void client.invalidateQueries({ queryKey: key(entity, id) }), [client, entity, id]);
  const base = `/api/${entity}/${id}/comments`;
  return {
    ...query,
    refresh,
    add: async (body: string, parentId?: string | null) => {
      const c = await apiRequest<Comment>(base, { method: "POST", body: { body, parentId: parentId ?? null } });
      refresh();
      return c;
    },
    edit: async (commentId: string, body: string) => {
      await apiRequest<Comment>(`${base}/${commentId}`, { method: "PATCH", body: { body } });
      refresh();
    },
    remove: async (commentId: string) => {
      await apiRequest(`${base}/${commentId}`, { method: "DELETE" });
      refresh();
    },
  };
}
