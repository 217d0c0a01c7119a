import type { Executor } from "../../db/client";
import { NotFoundError } from "../lib/errors";
import { withPipelineId } from "../services/opportunities/pipeline-of";
import { entities, type EntityType } from "../services/records/entities";
import { loadRecord } from "../services/records/load";
import { serialize } from "../services/records/serialize";

/** The record a run is about, as the API shows it (opportunities with their pipelineId); null when it is gone. */
export type Subject = { type: EntityType; id: string; record: Record<string, unknown> };

export async function loadSubject(db: Executor, workspaceId: string, type: string, id: string): Promise<Subject | null> {
  if (!(type in entities)) return null;
  const def = entities[type as EntityType];
  try {
    let row = await loadRecord(db, def, workspaceId, id);
    if (type === "opportunity") row = await withPipelineId(db, workspaceId, row);
    return { type: type as EntityType, id, record: serialize(row) };
  } catch (err) {
    if (err instanceof NotFoundError) return null;
    throw err;
  }
}

/** `amount`, `custom.arr`: a field's value on a serialized record. */
export function fieldValue(record: Record<string, unknown>, field: string): unknown {
  if (field.startsWith("custom.")) {
    const custom = record.custom as Record<string, unknown> | undefined;
    return custom?.[field.slice(7)];
  }
  return record[field];
}
