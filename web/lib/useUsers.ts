import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useAuth } from "./auth";
import { queries } from "./queries";
import type { User } from "./api-types";

/*
 * The workspace's users (owner pickers, owner names in lists), from the query cache: shared by every screen and
 * refetched whenever a user is added or changed (lib/query.ts). A failure falls back to the signed-in user so
 * pickers still work.
 */
export interface UsersState {
  users: User[];
  loaded: boolean;
  byId: Map<string, User>;
  nameOf: (id: string | null | undefined) => string;
}

export function useUsers(): UsersState {
  const { user } = useAuth();
  const { data, isError } = useQuery(queries.users());
  const users = data ?? (isError ? null : undefined);
  return useMemo(() => {
    const list = users ?? (user ? [user] : []);
    const byId = new Map(list.map((u) => [u.id, u]));
    return {
      users: [...list].sort((a, b) => a.name.localeCompare(b.name)),
      loaded: users !== undefined,
      byId,
      nameOf: (id) => (id ? (byId.get(id)?.name ?? "Unknown user") : "Unassigned"),
    };
  }, [users, user]);
}
