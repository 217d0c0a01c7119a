/*
 * The columns a grid can show, from the domain model and GET /api/meta: every core field with a column (sortable,
 * editable and totalled as declared), the workspace's custom fields, and related fields the list API answers with
 * (a contact's or deal's account name; a deal's stage and owner by name). A saved view names columns by `id`.
 */
import type { ReactNode } from "react";
import { entityDecl, type FieldType } from "../../../domain";
import type { FieldMeta, Meta } from "../../lib/meta";
import { formatMoney } from "../../lib/format";
import type { RecordEntity } from "../../lib/records";
import type { StageInfo } from "../../lib/queries";
import { fieldDisplay } from "../fields/FieldValue";
import { Badge } from "../ui/Badge";

export type Row = { id: string; custom?: Record<string, unknown> } & Record<string, unknown>;

export interface GridColumn {
  id: string;
  label: string;
  type: FieldType | "related";
  sortKey?: string;
  /** First click sorts descending (amounts, dates). */
  descendingFirst?: boolean;
  /** Editable in the cell (core fields a client may write, custom fields). */
  field?: FieldMeta;
  editable: boolean;
  /** A core money column: its totals come from the summary (`field`). */
  totals?: string;
  width: number;
  /** The record's title: links to it. */
  primary?: boolean;
  render: (row: Row) => ReactNode;
}

export interface ColumnContext {
  nameOf: (id: string | null | undefined) => string;
  stageById: Map<string, StageInfo>;
}

/** Bookkeeping fields no one wants as a column. */
const HIDDEN = new Set(["position", "version", "pipelineId", "firstName", "lastName", "convertedAccountId", "convertedContactId", "convertedOpportunityId", "primaryContactId"]);
const DESC_FIRST = new Set(["money", "number", "percent", "date", "datetime"]);
const EDITABLE: ReadonlySet<string> = new Set(["text", "number", "money", "percent", "date", "single_select", "user", "email", "url", "phone", "checkbox"]);
const WIDTH: Partial<Record<FieldType, number>> = { money: 140, number: 110, percent: 100, date: 130, datetime: 170, checkbox: 90, email: 220 };
const dash = <span className="text-slate-500">—</span>;

export function gridColumns(entity: RecordEntity, meta: Meta | null, ctx: ColumnContext): GridColumn[] {
  const decl = entityDecl(entity);
  const fields = meta?.entities[decl.key].fields ?? [];
  const currencyOf = (row: Row) => (row.currency as string | undefined) ?? "USD";
  const out: GridColumn[] = [];
  for (const [key, f] of Object.entries(decl.fields)) {
    if (HIDDEN.has(key) || f.column === null) continue;
    const m = fields.find((x) => x.key === key && x.source === "core");
    const primary = key === "name";
    const col: GridColumn = {
      id: key,
      label: f.label,
      type: f.type,
      sortKey: f.sort ? key : undefined,
      descendingFirst: DESC_FIRST.has(f.type),
      field: m,
      editable: !!m && !m.readOnly && EDITABLE.has(f.type) && !f.target && key !== "currency" && !(entity === "contacts" && primary) && !(entity === "leads" && primary),
      totals: f.type === "money" ? key : undefined,
      width: primary ? 240 : (WIDTH[f.type] ?? 160),
      primary,
      render: (row) => fieldDisplay(f, row[key], { currency: currencyOf(row), nameOf: ctx.nameOf }) ?? (primary ? String(row.email ?? "Unnamed") : dash),
    };
    if (key === "ownerId") col.render = (row) => ctx.nameOf(row.ownerId as string | null);
    if (key === "accountId") Object.assign(col, { id: "accountName", label: "Account", type: "related", render: (row: Row) => (row.accountName as string | null) ?? dash });
    if (key === "stageId") {
      col.render = (row) => {
        const s = ctx.stageById.get(row.stageId as string);
        return s ? <Badge tone={s.kind === "won" ? "success" : s.kind === "lost" ? "danger" : "neutral"}>{s.name}</Badge> : "…";
      };
    }
    if (f.type === "money") col.render = (row) => (typeof row[key] === "number" ? formatMoney(row[key] as number, currencyOf(row)) : dash);
    out.push(col);
  }
  for (const m of fields.filter((x) => x.source === "custom").sort((a, b) => a.position - b.position)) {
    out.push({
      id: `custom.${m.key}`,
      label: m.label,
      type: m.type,
      sortKey: m.sortable ? `custom.${m.key}` : undefined,
      descendingFirst: DESC_FIRST.has(m.type),
      field: m,
      editable: EDITABLE.has(m.type),
      width: WIDTH[m.type] ?? 160,
      render: (row) => fieldDisplay(m, row.custom?.[m.key], { currency: currencyOf(row), nameOf: ctx.nameOf }) ?? dash,
    });
  }
  for (const [key, label] of [["createdAt", "Created"], ["updatedAt", "Updated"]] as const) {
    out.push({ id: key, label, type: "datetime", sortKey: key, descendingFirst: true, editable: false, width: 170, render: (row) => fieldDisplay({ type: "datetime" }, row[key]) ?? dash });
  }
  return out;
}

/** A list's columns before anyone chose: the declared list columns, then custom fields shown in lists. */
export function defaultColumnIds(all: readonly GridColumn[]): string[] {
  return all.filter((c) => c.primary || (c.field?.showInList ?? false)).map((c) => (c.id === "accountId" ? "accountName" : c.id));
}

/** Fields a grid groups by: selects, the owner, a deal's stage. */
export function groupableColumns(all: readonly GridColumn[]): GridColumn[] {
  return all.filter((c) => c.type === "single_select" || c.id === "ownerId" || c.id === "stageId" || (c.type === "user" && c.id.startsWith("custom.")) || (c.type === "checkbox" && c.id.startsWith("custom.")));
}
