/*
 * GET /api/meta: the workspace's fields (core from domain/, custom from Settings → Fields), pipelines and reason
 * codes. Read through the query cache (`queries.meta()`): one request shared by every reader, refetched at once when a
 * field, pipeline or stage changes (lib/query.ts CONFIG_WRITES).
 */
import type { EntityKey } from "../../domain";
import type { FieldMeta } from "../../domain/meta";
import type { Meta } from "../../worker/schemas/meta";
import { queries } from "./queries";
import { useQueryResource } from "./useResource";

export type { FieldMeta, Meta };

/** The workspace's metadata, or null while it loads (a failure leaves the page on its core fields). */
export function useMeta(): Meta | null {
  return useQueryResource(queries.meta()).data ?? null;
}

/** The entity's custom fields in display order. */
export function customFieldsOf(meta: Meta | null, entity: EntityKey): FieldMeta[] {
  return meta ? meta.entities[entity].fields.filter((f) => f.source === "custom").sort((a, b) => a.position - b.position) : [];
}
