import { useEffect, useMemo, useState } from "react";
import { useAuth } from "./auth";
import { listUsers } from "./records";
import type { User } from "./types";

/*
 * The workspace's users (owner pickers, owner names in lists). Fetched once per session and shared by every
 * screen; a failure falls back to the signed-in user so pickers still work.
 */
let cache: { token: string | null; promise: Promise<User[]> } | null = null;

function loadUsers(token: string | null): Promise<User[]> {
  if (!cache || cache.token !== token) {
    const promise = listUsers().catch((error: unknown) => {
      if (cache?.promise === promise) cache = null;
      throw error;
    });
    cache = { token, promise };
  }
  return cache.promise;
}

/** Forget the cached list (after an admin creates or renames a user). */
export function invalidateUsers(): void {
  cache = null;
}

export interface UsersState {
  users: User[];
  loaded: boolean;
  byId: Map<string, User>;
  nameOf: (id: string | null | undefined) => string;
}

export function useUsers(): UsersState {
  const { user, token } = useAuth();
  const [users, setUsers] = useState<User[] | null>(null);
  useEffect(() => {
    let live = true;
    loadUsers(token).then(
      (list) => live && setUsers(list),
      () => live && setUsers(user ? [user] : []),
    );
    return () => {
      live = false;
    };
  }, [token, user]);
  return useMemo(() => {
    const list = users ?? (user ? [user] : []);
    const byId = new Map(list.map((u) => [u.id, u]));
    return {
      users: [...list].sort((a, b) => a.name.localeCompare(b.name)),
      loaded: users !== null,
      byId,
      nameOf: (id) => (id ? (byId.get(id)?.name ?? "Unknown user") : "Unassigned"),
    };
  }, [users, user]);
}
