import type { Database } from "../../../db/client";
import { toUser } from "../auth/login";
import { loadUser } from "./load";

export async function getUser(input: { db: Database; workspaceId: string; id: string }) {
  return toUser(await loadUser(input.db.http, input.workspaceId, input.id));
}
