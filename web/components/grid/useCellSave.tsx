/*
 * Saving a grid cell: PATCH the record (a deal with the version shown, as the board does), write the answer into the
 * loaded pages, and on a deal's 409 open the board's conflict dialog (re-apply on top of the newer version, or keep
 * it). The cell's promise settles when the user has decided.
 */
import { useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError } from "../../lib/api";
import { qk } from "../../lib/query";
import { updateRecord, type Opportunity, type Page, type RecordEntity } from "../../lib/records";
import { ConflictDialog } from "../pipeline/ConflictDialog";
import type { GridColumn, Row } from "./columns";

export function useCellSave(entity: RecordEntity, names: { stageName: (id: string) => string; userName: (id: string) => string }) {
  const client = useQueryClient();
  const [conflict, setConflict] = useState<{ current: Opportunity; attempted: Record<string, unknown>; resolve: () => void; reject: (e: unknown) => void } | null>(null);

  const merge = (saved: Row) =>
    client.setQueriesData<InfiniteData<Page<Row>>>({ queryKey: [...qk.records(entity), "grid"] }, (data) =>
      data ? { ...data, pages: data.pages.map((p) => ({ ...p, data: p.data.map((r) => (r.id === saved.id ? { ...r, ...saved } : r)) })) } : data,
    );

  async function patch(row: Row, body: Record<string, unknown>): Promise<void> {
    const withVersion = entity === "opportunities" ? { ...body, version: row.version } : body;
    try {
      merge((await updateRecord(entity, row.id, withVersion)) as unknown as Row);
    } catch (err) {
      const current = err instanceof ApiError && err.status === 409 ? (err.extensions.current as Opportunity | undefined) : undefined;
      if (!current) throw err;
      await new Promise<void>((resolve, reject) => setConflict({ current, attempted: body, resolve, reject }));
    }
  }

  const onSave = (row: Row, column: GridColumn, value: unknown) =>
    patch(row, column.id.startsWith("custom.") ? { custom: { [column.id.slice(7)]: value } } : { [column.id]: value });

  const dialog = conflict && (
    <ConflictDialog
      current={conflict.current}
      attempted={conflict.attempted}
      stageName={names.stageName}
      userName={names.userName}
      onReapply={async () => {
        const saved = await updateRecord(entity, conflict.current.id, { ...conflict.attempted, version: conflict.current.version });
        merge(saved as unknown as Row);
        conflict.resolve();
        setConflict(null);
      }}
      onDiscard={() => {
        merge(conflict.current as unknown as Row);
        conflict.resolve();
        setConflict(null);
      }}
    />
  );
  return { onSave, dialog };
}
