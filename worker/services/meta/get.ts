import { and, asc, eq, isNull } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { pipelineStages, pipelines, reasonCodes } from "../../../db/schema";
import { allEntities, type EntityKey, type FieldType } from "../../../domain";
import { coreFieldMeta, type FieldMeta } from "../../../domain/meta";
import type { Meta } from "../../schemas/meta";
import { listCustomFields, type CustomFieldRow } from "../custom-fields/registry";

/** A custom field as metadata: the same shape as a core field, `source: "custom"`, after the core fields. */
export function customFieldMeta(f: CustomFieldRow, offset: number): FieldMeta {
  const settings = (f.settings ?? {}) as Record<string, unknown>;
  const target = typeof settings.target === "string" ? (settings.target as FieldMeta["target"]) : f.type === "user" ? "user" : undefined;
  return {
    key: f.key,
    label: f.label,
    type: f.type as FieldType,
    source: "custom",
    required: f.required,
    readOnly: false,
    ...(f.options?.length ? { options: f.options.map((o) => ({ value: o.value, label: o.label, ...(o.color ? { color: o.color } : {}) })) } : {}),
    ...(target ? { target } : {}),
    ...(f.helpText ? { helpText: f.helpText } : {}),
    filterable: f.filterable,
    sortable: f.filterable,
    showOnCard: f.showOnCard,
    showInQuickCreate: f.showInQuickCreate,
    showInList: f.showOnCard,
    showOnDetail: true,
    importable: true,
    exportable: true,
    aiPrivate: settings.aiPrivate === true,
    position: offset + f.position,
  };
}

/** Everything the SPA needs to render a workspace's records: fields (core + custom), pipelines with stages, reason codes. */
export async function getMeta(input: { db: Database; workspaceId: string; features?: Record<string, boolean> }): Promise<Meta> {
  const { db, workspaceId: ws } = input;
  const x = db.http;
  const [custom, pipes, stages, reasons] = await Promise.all([
    listCustomFields(x, ws),
    x.select().from(pipelines).where(and(eq(pipelines.workspaceId, ws), isNull(pipelines.deletedAt))).orderBy(asc(pipelines.position), asc(pipelines.id)),
    x.select().from(pipelineStages).where(and(eq(pipelineStages.workspaceId, ws), isNull(pipelineStages.deletedAt))).orderBy(asc(pipelineStages.position), asc(pipelineStages.id)),
    x.select().from(reasonCodes).where(and(eq(reasonCodes.workspaceId, ws), isNull(reasonCodes.deletedAt))).orderBy(asc(reasonCodes.position), asc(reasonCodes.id)),
  ]);
  const entities = {} as Meta["entities"];
  for (const e of allEntities()) {
    const core = coreFieldMeta(e);
    const own = custom.filter((f) => f.entity === e.key).map((f) => customFieldMeta(f, core.length));
    entities[e.key as EntityKey] = { label: e.label, labelPlural: e.labelPlural, fields: [...core, ...own] };
  }
  const reasonCodesOut: Meta["reasonCodes"] = { won: [], lost: [], open: [] };
  for (const r of reasons) if (r.kind in reasonCodesOut) reasonCodesOut[r.kind as keyof Meta["reasonCodes"]].push({ value: r.value, label: r.label });
  return {
    entities,
    pipelines: pipes.map((p) => ({
      id: p.id,
      key: p.key,
      name: p.name,
      isDefault: p.isDefault,
      stages: stages
        .filter((s) => s.pipelineId === p.id)
        .map((s) => ({ id: s.id, key: s.key, name: s.name, position: s.position, probability: s.probability, kind: s.kind, agingDays: s.agingDays })),
    })),
    reasonCodes: reasonCodesOut,
    features: input.features ?? {},
  };
}
