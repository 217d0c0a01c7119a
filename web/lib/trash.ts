import type { TrashEntity, TrashItem, TrashPage } from "../../worker/schemas/trash";
import { apiRequest } from "./api";

export type { TrashEntity, TrashItem, TrashPage };

export const TRASH_ENTITIES: readonly { id: TrashEntity; label: string; singular: string }[] = [
  { id: "accounts", label: "Accounts", singular: "account" },
  { id: "contacts", label: "Contacts", singular: "contact" },
  { id: "leads", label: "Leads", singular: "lead" },
  { id: "opportunities", label: "Opportunities", singular: "opportunity" },
];

/** Recently deleted records of one type, newest deletion first. Restoring is restoreRecord (records.ts), ADMIN only. */
export function listTrash(entity: TrashEntity, cursor?: string | null, options: { signal?: AbortSignal } = {}) {
  return apiRequest<TrashPage>(`/api/trash/${entity}`, { ...options, query: { cursor: cursor ?? undefined, limit: 50 } });
}
