import { useCallback, useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { entityDecl } from "../../domain";
import type { RecordEntity } from "./records";
import type { GridState, SavedView } from "./views";

/**
 * The grid's columns, filters, sort and grouping: a saved view's (`?view=<id>`, else the user's default view of the
 * entity) or the entity's defaults, then the user's unsaved changes (`dirty`) until they save or switch views.
 */
export function useGridState(entity: RecordEntity, defaultColumns: readonly string[], views: readonly SavedView[] | undefined) {
  const [params, setParams] = useSearchParams();
  const mine = useMemo(() => (views ?? []).filter((v) => v.entity === entity), [views, entity]);
  const asked = params.get("view");
  // `?view=all`: the plain list even when the user has a default view.
  const view = asked ? mine.find((v) => v.id === asked) : mine.find((v) => v.isDefault);
  const base = useMemo<GridState>(
    () => (view ? { columns: view.columns, filters: view.filters, sort: view.sort ?? entityDecl(entity).defaultSort, groupBy: view.groupBy } : { columns: defaultColumns.map((id) => ({ id })), filters: [], sort: entityDecl(entity).defaultSort, groupBy: null }),
    [view, defaultColumns, entity],
  );
  const [edits, setEdits] = useState<{ key: string; state: GridState } | null>(null);
  const key = `${entity}:${view?.id ?? ""}:${view?.updatedAt ?? ""}`;
  useEffect(() => setEdits(null), [key]);
  const state = edits?.key === key ? edits.state : base;
  const setState = useCallback((change: Partial<GridState>) => setEdits({ key, state: { ...state, ...change } }), [key, state]);
  const selectView = useCallback(
    (id: string | null) => {
      const next = new URLSearchParams(params);
      if (id) next.set("view", id);
      else if (mine.some((v) => v.isDefault)) next.set("view", "all");
      else next.delete("view");
      setParams(next);
    },
    [params, setParams, mine],
  );
  return { state, setState, view, views: mine, selectView, dirty: edits?.key === key, reset: () => setEdits(null), loadingView: !!asked && asked !== "all" && !views };
}
