import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { EmptyState } from "../components/EmptyState";
import { ErrorState } from "../components/ErrorState";
import { PageHeader } from "../components/PageHeader";
import { BoardSkeleton } from "../components/pipeline/BoardSkeleton";
import { CardEditor, type CardPatch } from "../components/pipeline/CardEditor";
import { ConflictDialog } from "../components/pipeline/ConflictDialog";
import { FiltersBar } from "../components/pipeline/FiltersBar";
import { PipelineBoard, type CardMove } from "../components/pipeline/PipelineBoard";
import { PipelineSummary, PipelineSummarySkeleton } from "../components/pipeline/PipelineSummary";
import { PipelineSwitcher } from "../components/pipeline/PipelineSwitcher";
import { StageChangeDialog, type StageChangeReason } from "../components/pipeline/StageChangeDialog";
import type { RecordOption } from "../components/RecordCombobox";
import { SearchInput } from "../components/SearchInput";
import { Button, buttonClasses } from "../components/ui/Button";
import { Spinner } from "../components/ui/Spinner";
import { useToast } from "../components/ui/Toast";
import { ApiError, errorMessage } from "../lib/api";
import { useCustomFields } from "../lib/custom-fields";
import { hasRole, useCurrentUser } from "../lib/auth";
import { cardChangesFrom, confirmMove as confirmMoveOnBoard, findCard, moveCard, positionAt, previewMove, undoPreview, updateCard } from "../lib/board";
import { hasPipelineFilters, PIPELINE_PARAM, readPipelineFilters, withPipelineFilters } from "../lib/pipeline";
import { rememberedPipeline, rememberPipeline, usePipelines, useReasonCodes } from "../lib/pipelines";
import { getRecord, searchAccounts, updateOpportunity, type Opportunity, type OpportunityPatch } from "../lib/records";
import type { PipelineCard, PipelineFilters } from "../lib/api-types";
import { usePipelineBoard } from "../lib/usePipelineBoard";
import { useUsers } from "../lib/useUsers";

const SEARCH_DEBOUNCE_MS = 250;

interface PendingMove {
  move: CardMove;
  card: PipelineCard;
  position: number;
}

interface Conflict {
  cardId: string;
  current: Opportunity;
  /** What the user tried, without `version`: re-sent on top of `current.version`. */
  attempted: OpportunityPatch;
}

/**
 * Puts keyboard focus back on a card's move handle after the reason dialog closes: the card was re-rendered
 * in another column, so the element focused before the dialog is gone.
 */
function focusCard(cardId: string) {
  requestAnimationFrame(() =>
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-card-id="${CSS.escape(cardId)}"] [aria-roledescription]`)?.focus()),
  );
}

/** A 409 from PATCH /api/opportunities/:id carries the newer record as `current`. */
function conflictRecord(error: unknown): Opportunity | undefined {
  if (error instanceof ApiError && error.status === 409) {
    const current = error.extensions.current;
    if (current && typeof current === "object" && "version" in current) return current as Opportunity;
  }
  return undefined;
}

/** /pipeline — the opportunity board. Filters come from the URL (?q=&ownerId=&accountId=&closeFrom=…). */
export default function PipelineRoute() {
  const user = useCurrentUser();
  const canEdit = hasRole(user, "USER");
  const toast = useToast();
  const { users, nameOf } = useUsers();
  const customFields = useCustomFields("opportunity");
  const [searchParams, setSearchParams] = useSearchParams();
  const pipelines = usePipelines();
  const reasonCodes = useReasonCodes();
  // The board's pipeline: ?pipeline=, else the last one shown on this device, else the workspace's default.
  const [forgotten, setForgotten] = useState(0);
  const filters = useMemo(() => {
    const f = readPipelineFilters(searchParams);
    const remembered = rememberedPipeline();
    if (!f.pipelineId && remembered) f.pipelineId = remembered;
    return f;
    // `forgotten` changes when a stale remembered pipeline is dropped: read again.
  }, [searchParams, forgotten]);
  const filtered = hasPipelineFilters(filters);
  const pipeline = usePipelineBoard(filters);
  const { board } = pipeline;
  const boardPipelineId = board?.pipeline.id;
  useEffect(() => {
    if (boardPipelineId) rememberPipeline(boardPipelineId);
  }, [boardPipelineId]);
  useEffect(() => {
    // A remembered pipeline that was deleted meanwhile: fall back to the default.
    if (pipeline.error instanceof ApiError && pipeline.error.status === 404 && !searchParams.get(PIPELINE_PARAM) && rememberedPipeline()) {
      rememberPipeline(undefined);
      setForgotten((n) => n + 1);
    }
  }, [pipeline.error, searchParams]);
  function switchPipeline(pipelineId: string) {
    rememberPipeline(pipelineId);
    setSearchParams((prev) => withPipelineFilters(prev, { pipelineId }), { replace: false });
  }
  useEffect(() => {
    if (pipeline.loadMoreError) toast.error(`Couldn’t load more deals: ${errorMessage(pipeline.loadMoreError)}`);
  }, [pipeline.loadMoreError, toast]);

  // The search box edits local state; the URL (and so the request) follows after a short pause. History
  // entries are replaced, not pushed, so Back leaves the board instead of replaying keystrokes.
  const urlQuery = filters.q ?? "";
  const [query, setQuery] = useState(urlQuery);
  const [syncedUrlQuery, setSyncedUrlQuery] = useState(urlQuery);
  if (urlQuery !== syncedUrlQuery) {
    // The URL changed underneath us (Back/Forward, a link, "clear filters"): show what it says.
    setSyncedUrlQuery(urlQuery);
    if (urlQuery !== query.trim()) setQuery(urlQuery);
  }
  useEffect(() => {
    if (query.trim() === urlQuery) return;
    const timer = setTimeout(
      () => setSearchParams((prev) => withPipelineFilters(prev, { q: query }), { replace: true }),
      SEARCH_DEBOUNCE_MS,
    );
    return () => clearTimeout(timer);
  }, [query, urlQuery, setSearchParams]);

  function submitSearch(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSearchParams((prev) => withPipelineFilters(prev, { q: query }), { replace: true });
  }

  const changeFilters = useCallback(
    (changes: Partial<PipelineFilters> | Record<string, string | undefined>) => setSearchParams((prev) => withPipelineFilters(prev, changes), { replace: true }),
    [setSearchParams],
  );
  function clearFilters() {
    setQuery("");
    setAccount(null);
    // Clearing filters keeps the board's pipeline.
    const keep = new URLSearchParams();
    const current = searchParams.get(PIPELINE_PARAM);
    if (current) keep.set(PIPELINE_PARAM, current);
    setSearchParams(keep, { replace: true });
  }

  // The account filter shows a name; a shared link only carries the id, so look the name up once.
  const [account, setAccount] = useState<RecordOption | null>(null);
  useEffect(() => {
    const id = filters.accountId;
    if (!id) return setAccount(null);
    if (account?.id === id) return;
    const controller = new AbortController();
    getRecord("accounts", id, { signal: controller.signal }).then(
      (a) => setAccount({ id: a.id, name: a.name }),
      () => setAccount({ id, name: "Unknown account" }),
    );
    return () => controller.abort();
  }, [filters.accountId, account?.id]);
  const findAccounts = useCallback(
    async (q: string, signal: AbortSignal) => (await searchAccounts(q, { signal })).map((a) => ({ id: a.id, name: a.name, hint: a.domain })),
    [],
  );

  // The currency picker offers every currency seen on this board since it opened: narrowing to one currency
  // must not make the others disappear from the list. Amounts are only compared within the picked currency.
  const seenCurrencies = useRef(new Set<string>());
  for (const t of board?.stages.flatMap((s) => s.totals) ?? []) seenCurrencies.current.add(t.currency);
  if (filters.currency) seenCurrencies.current.add(filters.currency);
  const currencies = [...seenCurrencies.current].sort();

  // ----------------------------------------------------------------------------------------------------
  // Moves and edits: optimistic, rolled back by the inverse change (so other edits made meanwhile survive).

  const [pendingMove, setPendingMove] = useState<PendingMove | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [pipelineMove, setPipelineMove] = useState<PipelineCard | null>(null);
  const otherPipelines = (pipelines ?? []).filter((p) => p.id !== board?.pipeline.id);
  const stageName = useCallback((id: string) => board?.stages.find((s) => s.id === id)?.name ?? "Unknown stage", [board]);

  function undoMove(move: CardMove, original: PipelineCard) {
    pipeline.mutate((b) => {
      const moved = moveCard(b, move.cardId, move.fromStageId, move.fromIndex, original.position);
      return updateCard(moved, move.cardId, original);
    });
  }

  function applyServerRecord(record: Opportunity) {
    pipeline.mutate((b) => (findCard(b, record.id) ? updateCard(b, record.id, cardChangesFrom(record, { ownerName: record.ownerId ? nameOf(record.ownerId) : null })) : b));
  }

  async function save(cardId: string, patch: OpportunityPatch, onFailure: () => void, success: string): Promise<"saved" | "conflict"> {
    try {
      const record = await pipeline.track(updateOpportunity(cardId, patch));
      applyServerRecord(record);
      toast.success(success);
      return "saved";
    } catch (error) {
      onFailure();
      const current = conflictRecord(error);
      if (current) {
        const { version: _version, ...attempted } = patch;
        setConflict({ cardId, current, attempted });
        return "conflict";
      }
      throw error;
    }
  }

  function onMove(move: CardMove) {
    if (!board) return;
    const at = findCard(board, move.cardId);
    const target = board.stages.find((s) => s.id === move.toStageId);
    if (!at || !target) return;
    const position = positionAt(
      target.cards.filter((c) => c.id !== move.cardId),
      move.toIndex,
    );
    const original = at.card;
    if (move.fromStageId !== move.toStageId) {
      // Shown where it was dropped, but counts and totals wait for the confirmation.
      pipeline.mutate((b) => previewMove(b, move.cardId, move.toStageId, move.toIndex, position));
      setPendingMove({ move, card: original, position });
      return;
    }
    pipeline.mutate((b) => moveCard(b, move.cardId, move.toStageId, move.toIndex, position));
    save(move.cardId, { position, version: original.version }, () => undoMove(move, original), `Moved “${original.name}”.`).catch((error: unknown) =>
      toast.error(`Couldn’t reorder “${original.name}”: ${errorMessage(error)}`),
    );
  }

  function confirmMove(reason: StageChangeReason) {
    if (!pendingMove) return;
    const { move, card, position } = pendingMove;
    setPendingMove(null);
    pipeline.mutate((b) => confirmMoveOnBoard(b, card, move.fromIndex, move.toStageId, move.toIndex, position));
    focusCard(card.id);
    const patch: OpportunityPatch = { stageId: move.toStageId, stageChangeReason: reason, position, version: card.version };
    save(move.cardId, patch, () => undoMove(move, card), `Moved “${card.name}” to ${stageName(move.toStageId)}.`).catch((error: unknown) =>
      toast.error(`Couldn’t move “${card.name}”: ${errorMessage(error)}`),
    );
  }

  function cancelMove() {
    if (!pendingMove) return;
    const { move, card } = pendingMove;
    pipeline.mutate((b) => undoPreview(b, card, move.fromIndex));
    setPendingMove(null);
    focusCard(pendingMove.card.id);
  }

  async function saveEdit(card: PipelineCard, patch: CardPatch) {
    const optimistic: Partial<PipelineCard> = { ...patch };
    if (patch.ownerId !== undefined) optimistic.ownerName = patch.ownerId ? nameOf(patch.ownerId) : null;
    pipeline.mutate((b) => updateCard(b, card.id, optimistic));
    const result = await save(card.id, { ...patch, version: card.version }, () => pipeline.mutate((b) => updateCard(b, card.id, card)), `Saved “${patch.name ?? card.name}”.`);
    // Saved, or handed over to the conflict dialog: either way the inline editor is done.
    void result;
    setEditingId(null);
  }

  /** Moving a deal to another pipeline: it leaves this board (the totals refresh once the save settles). */
  async function confirmPipelineMove(card: PipelineCard, reason: StageChangeReason, toStageId?: string) {
    if (!toStageId) return;
    const target = otherPipelines.find((p) => p.stages.some((s) => s.id === toStageId));
    await pipeline.track(updateOpportunity(card.id, { stageId: toStageId, stageChangeReason: reason, version: card.version }));
    setPipelineMove(null);
    setEditingId(null);
    pipeline.mutate((b) => ({ ...b, stages: b.stages.map((s) => ({ ...s, cards: s.cards.filter((c) => c.id !== card.id) })) }));
    toast.success(`Moved “${card.name}” to ${target?.name ?? "another pipeline"}.`);
  }

  async function reapply() {
    if (!conflict) return;
    try {
      const record = await pipeline.track(updateOpportunity(conflict.cardId, { ...conflict.attempted, version: conflict.current.version }));
      applyServerRecord(record);
      setConflict(null);
      toast.success(`Your change to “${record.name}” was saved on top of the newer version.`);
    } catch (error) {
      const current = conflictRecord(error);
      if (current) {
        // Changed yet again: show the newest version and let the user decide again.
        setConflict({ ...conflict, current });
        return;
      }
      throw error;
    }
  }

  const editingCard = editingId && board ? findCard(board, editingId)?.card : undefined;
  const editing = editingCard
    ? {
        cardId: editingCard.id,
        editor: (
          <CardEditor
            key={editingCard.id}
            card={editingCard}
            users={users}
            onSave={(patch) => saveEdit(editingCard, patch)}
            onCancel={() => setEditingId(null)}
            onMovePipeline={otherPipelines.length ? () => setPipelineMove(editingCard) : undefined}
          />
        ),
      }
    : null;
  const onEdit = useCallback((card: PipelineCard) => setEditingId(card.id), []);

  const switcher =
    pipelines && pipelines.length > 1 ? <PipelineSwitcher pipelines={pipelines} value={board?.pipeline.id ?? filters.pipelineId} onChange={switchPipeline} /> : null;
  const totalCards = board?.stages.reduce((n, s) => n + s.cards.length, 0) ?? 0;
  const moving = pendingMove && board ? { from: board.stages.find((s) => s.id === pendingMove.move.fromStageId), to: board.stages.find((s) => s.id === pendingMove.move.toStageId) } : null;

  return (
    <div className="flex h-[calc(100dvh-var(--header-h))] min-h-[28rem] flex-col">
      <PageHeader
        title={pipelines && pipelines.length > 1 ? <span className="sr-only sm:not-sr-only">Pipeline</span> : "Pipeline"}
        actions={
          <>
            {switcher && <div className="hidden sm:block">{switcher}</div>}
            {/* Keeps its place on wide screens (no jump when it appears); on a phone it only shows while busy. */}
            <span className={`${pipeline.isRefreshing ? "inline-flex" : "hidden sm:inline-flex"} size-5 shrink-0 items-center justify-center text-slate-400`}>
              {pipeline.isRefreshing && <Spinner label="Updating board" />}
            </span>
            <form role="search" onSubmit={submitSearch} className="min-w-0 flex-1 sm:w-72 sm:flex-none">
              <SearchInput label="Search deals" placeholder="Search deals…" value={query} onValueChange={setQuery} />
            </form>
            <Link to="/opportunities" className={buttonClasses("secondary")}>
              List view
            </Link>
          </>
        }
      >
        {/* On a phone the switcher gets a row of its own under the search (the actions row has no room for it). */}
        {switcher && <div className="mt-3 sm:hidden">{switcher}</div>}
        {board ? <PipelineSummary totals={board.totals} /> : <PipelineSummarySkeleton />}
        <FiltersBar
          filters={filters}
          onChange={changeFilters}
          onClear={clearFilters}
          users={users}
          account={account}
          searchAccounts={findAccounts}
          currencies={currencies}
          customFields={customFields}
        />
      </PageHeader>

      {pipeline.error != null && board && (
        <div role="alert" className="flex items-center gap-3 border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900 sm:px-6">
          <span className="min-w-0 flex-1">Couldn’t refresh the board: {errorMessage(pipeline.error)}</span>
          <Button size="sm" onClick={pipeline.reload}>
            Retry
          </Button>
        </div>
      )}

      <div className="min-h-0 flex-1" aria-busy={pipeline.status === "loading" || pipeline.isRefreshing}>
        {pipeline.status === "loading" ? (
          <>
            <span className="sr-only" role="status">
              Loading pipeline…
            </span>
            <BoardSkeleton />
          </>
        ) : pipeline.status === "error" ? (
          <ErrorState title="Couldn’t load the pipeline" error={pipeline.error} onRetry={pipeline.reload} retrying={pipeline.isRefreshing} />
        ) : board && board.stages.length === 0 ? (
          <EmptyState
            title="No pipeline stages yet"
            description="An administrator defines the stages deals move through in Settings."
          />
        ) : board && totalCards === 0 && filtered ? (
          <EmptyState
            title="No deals match these filters"
            description="Try a different search, or clear the filters to see the whole pipeline."
            action={<Button onClick={clearFilters}>Clear filters</Button>}
          />
        ) : board ? (
          <>
            {canEdit && (
              <p id="pipeline-board-help" className="sr-only">
                Drag a card to move it, or focus its move handle and press Space.
              </p>
            )}
            <PipelineBoard
              stages={board.stages}
              canEdit={canEdit}
              onMove={onMove}
              onEdit={onEdit}
              editing={editing}
              onLoadMore={pipeline.loadMore}
              loadingStages={pipeline.loadingStages}
            />
          </>
        ) : null}
      </div>

      {pendingMove && moving?.from && moving.to && (
        <StageChangeDialog dealName={pendingMove.card.name} from={moving.from} to={moving.to} reasonCodes={reasonCodes} onConfirm={confirmMove} onCancel={cancelMove} />
      )}
      {pipelineMove && (
        <StageChangeDialog
          dealName={pipelineMove.name}
          from={{ name: `${board?.pipeline.name ?? ""}: ${stageName(pipelineMove.stageId)}` }}
          pipelines={otherPipelines}
          reasonCodes={reasonCodes}
          onConfirm={(reason, toStageId) => confirmPipelineMove(pipelineMove, reason, toStageId)}
          onCancel={() => setPipelineMove(null)}
        />
      )}
      {conflict && (
        <ConflictDialog
          current={conflict.current}
          attempted={conflict.attempted}
          stageName={stageName}
          userName={nameOf}
          onReapply={reapply}
          onDiscard={() => {
            setConflict(null);
            pipeline.reload();
          }}
        />
      )}
    </div>
  );
}


