import type { Tx } from "../../../db/client";
import type { ImportOptions, ImportResult, MatchKey } from "../../schemas/import-export";
import type { Actor, DomainEvent } from "../audit/record";
import type { ImportSpec, RelationGroup } from "./fields";
import type { Lookups, Target } from "./resolve";
import type { ImportSession } from "./session";

/** The shapes one import passes between its steps (parse → resolve → match → write). */

export type ImportError = ImportResult["errors"][number];

export interface Plan {
  columns: { index: number; header: string; field: string }[];
  headerCount: number;
  headerOf: Map<string, string>;
  groups: Set<RelationGroup>;
  setFields: string[];
  insertFields: string[];
}

export interface Row {
  rowNo: number;
  errors: ImportError[];
  values: Record<string, unknown>;
  /** Relation cells of this row, by field (accountName, ownerEmail, …). */
  rel: Record<string, string>;
  targets: Partial<Record<RelationGroup, Target>>;
  /** The account to create for this row (createMissingAccounts). */
  createAccount?: { name: string; externalId: string | null };
  before?: Record<string, unknown>;
  /** Opportunities: the pipeline its `pipeline` cell names (a stage cell is resolved within it). */
  pipelineId?: string;
  /** A lead row whose status cell says "converted". */
  claimsConverted?: boolean;
  /** Set when the row updates a record found by its id or a natural key (not by its externalId: that is an upsert). */
  matchId: string | null;
  /** The existing record the row matched and by what; `id` = its externalId cell is the record's id (an export). */
  match?: { id: string; by: MatchKey | "id" };
  /** duplicates: "skip" and the row matched: nothing is written for it. */
  duplicateSkipped?: boolean;
}

export interface BatchContext {
  tx: Tx;
  actor: Actor;
  spec: ImportSpec;
  options: ImportOptions;
  plan: Plan;
  lookups: Lookups;
  /** First row of the file per externalId / natural key, to report repeats within one file. */
  seen: Map<string, number>;
  /** First row of the file that matched each existing record. */
  matchedBy: Map<string, number>;
  session: ImportSession;
  batch: { rowNo: number; cells: string[] }[];
  result: ImportResult;
  events: DomainEvent[];
  report: (e: ImportError) => void;
}

export function addError(row: Row, column: string | null, message: string) {
  row.errors.push({ row: row.rowNo, column, message });
}

export const groupOrder: Record<RelationGroup, string[]> = {
  owner: ["ownerId", "ownerEmail"],
  account: ["accountId", "accountExternalId", "accountName"],
  stage: ["stageId", "stageName", "pipeline"],
  primaryContact: ["primaryContactId", "primaryContactExternalId"],
};
