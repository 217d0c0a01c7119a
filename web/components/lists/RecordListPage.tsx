/*
 * One list screen (accounts, contacts, leads, opportunities): URL-driven sort, filters and cursor pages
 * (lib/useRecordList), the table, CSV export, and a create button for users who may create. Each route module
 * supplies its columns and filters.
 */
import { useCallback, useState, type ReactNode } from "react";
import { Link, useNavigate } from "react-router";
import { errorMessage } from "../../lib/api";
import { hasRole, useCurrentUser } from "../../lib/auth";
import { useAppCommands, type QuickCreateKind } from "../../lib/commands";
import { rememberAccountName, useAccountNames } from "../../lib/lookups";
import { exportCsv, type ListQuery, type RecordByEntity, type RecordEntity } from "../../lib/records";
import { useRecordList, type RecordListState } from "../../lib/useRecordList";
import { DownloadIcon, PlusIcon } from "../icons";
import { Button, buttonClasses } from "../ui/Button";
import { useToast } from "../ui/Toast";
import { DataTable, type Column } from "./DataTable";
import { ListLayout } from "./ListLayout";

export interface RecordListPageProps<E extends RecordEntity> {
  entity: E;
  title: string;
  description: string;
  /** "account" → "New account". */
  singular: string;
  createKind: QuickCreateKind;
  filterKeys: readonly string[];
  defaultSort: string;
  /** `accountNames` resolves the rows' `accountId`s (the list API returns ids only). */
  columns: (rows: readonly RecordByEntity[E][], lookups: { accountNames: Map<string, string> }) => Column<RecordByEntity[E]>[];
  filters: (list: RecordListState<RecordByEntity[E]>) => ReactNode;
  empty: { title: string; description: string };
  /** More buttons in the header (e.g. "Board" on the opportunities list). */
  extraActions?: ReactNode;
}

export function RecordListPage<E extends RecordEntity>({ entity, title, description, singular, createKind, filterKeys, defaultSort, columns, filters, empty, extraActions }: RecordListPageProps<E>) {
  const user = useCurrentUser();
  const canCreate = hasRole(user, "USER");
  const navigate = useNavigate();
  const commands = useAppCommands();
  const list = useRecordList(entity, filterKeys, defaultSort);
  const rows = list.resource.data?.data ?? [];
  // Contact and deal rows arrive with their account's name; remember those so nothing is fetched per row.
  for (const r of rows as { accountId?: string | null; accountName?: string | null }[]) {
    if (r.accountId && r.accountName) rememberAccountName(r.accountId, r.accountName);
  }
  const accountNames = useAccountNames(rows.map((r) => ("accountId" in r ? (r.accountId as string | null) : null)));
  const filtered = Object.keys(list.filters).length > 0;
  const clear = list.clearFilters;
  const open = useCallback((row: { id: string }) => navigate(`/${entity}/${row.id}`), [navigate, entity]);
  const createButton = canCreate ? (
    <Button variant="primary" onClick={() => commands.openQuickCreate(createKind)}>
      <PlusIcon className="size-4" />
      New {singular}
    </Button>
  ) : null;

  return (
    <ListLayout
      title={title}
      description={description}
      actions={
        <>
          {extraActions}
          {/* Secondary ways in and out of the list: the trash (everyone may look) and import (USER and up). */}
          <Link to={`/trash/${entity}`} className={buttonClasses("ghost")}>
            Recently deleted
          </Link>
          {canCreate && (
            <Link to={`/import?entity=${entity}`} className={buttonClasses("secondary")}>
              Import
            </Link>
          )}
          <ExportButton entity={entity} label={title} query={list.query} />
          {createButton}
        </>
      }
      filters={filters(list)}
      status={list.resource.status}
      error={list.resource.error}
      onRetry={list.resource.reload}
      isRefreshing={list.resource.isRefreshing}
      isEmpty={rows.length === 0 && !list.hasPrevious && !list.isDetachedPage}
      filtered={filtered}
      empty={{ ...empty, action: createButton }}
      onClearFilters={clear}
      pagination={{
        pageNumber: list.pageNumber,
        rowsOnPage: rows.length,
        hasPrevious: list.hasPrevious,
        hasNext: !!list.resource.data?.nextCursor,
        isDetached: list.isDetachedPage,
        onPrevious: list.previousPage,
        onNext: list.nextPage,
        onFirst: list.firstPage,
      }}
    >
      <DataTable
        caption={`${title}, sorted by ${list.sort.replace(/^-/, "")}${list.sort.startsWith("-") ? " (descending)" : ""}`}
        rows={rows}
        columns={columns(rows, { accountNames })}
        sort={list.sort}
        onSort={list.setSort}
        rowHref={(row) => `/${entity}/${row.id}`}
        onOpen={open}
        busy={list.resource.isRefreshing}
      />
    </ListLayout>
  );
}

/** Downloads the list as CSV: every row the filters select (not just this page), in the list's order. */
export function ExportButton({ entity, label, query }: { entity: RecordEntity; label: string; query: ListQuery }) {
  const toast = useToast();
  const [pending, setPending] = useState(false);
  return (
    <Button
      loading={pending}
      title={`Download the ${label.toLowerCase()} matching this list's filters as a CSV file`}
      onClick={async () => {
        setPending(true);
        try {
          const name = await exportCsv(entity, query);
          toast.success(`Downloading ${label.toLowerCase()} as ${name}.`);
        } catch (error) {
          toast.error(`Couldn’t export ${label.toLowerCase()}: ${errorMessage(error)}`);
        } finally {
          setPending(false);
        }
      }}
    >
      {!pending && <DownloadIcon className="size-4" />}
      Export CSV
    </Button>
  );
}
