/*
 * Pure board arithmetic for optimistic updates: moving a card, editing one, and keeping the column counts,
 * per-currency totals and the overall forecast in step — the same rules as worker/services/pipeline/get.ts
 * (weighted = amount × effective probability / 100; overall totals cover open stages only). The server's answer
 * replaces all of it on the next refresh; these only bridge the round trip.
 */
import type { CurrencyTotal, Pipeline, PipelineCard, PipelineStage, PipelineTotals, StageCardsPage } from "./api-types";

/** Gap between neighbours when a card is put at either end of a column (the seed spaces cards 1024 apart). */
export const POSITION_STEP = 1024;

/** A Kanban position strictly between two neighbours (either may be missing: ends of the column). */
export function positionBetween(prev: number | undefined, next: number | undefined): number {
  if (prev === undefined && next === undefined) return POSITION_STEP;
  if (prev === undefined) return next! - POSITION_STEP;
  if (next === undefined) return prev + POSITION_STEP;
  return prev + (next - prev) / 2;
}

/** The position a card gets when it lands at `index` of `cards` (the column without the moved card). */
export function positionAt(cards: readonly PipelineCard[], index: number): number {
  return positionBetween(cards[index - 1]?.position, cards[index]?.position);
}

export function effectiveProbability(card: Pick<PipelineCard, "probabilityOverride">, stage: Pick<PipelineStage, "probability">): number {
  return card.probabilityOverride ?? stage.probability;
}

interface Contribution {
  currency: string;
  amount: number;
  weighted: number;
}

function contribution(card: PipelineCard): Contribution {
  const amount = card.amount ?? 0;
  return { currency: card.currency, amount, weighted: Math.round((amount * card.probability) / 100) };
}

/** Adds (sign 1) or removes (sign -1) one deal from per-currency totals; empty currencies disappear. */
export function applyToTotals(totals: readonly CurrencyTotal[], c: Contribution, sign: 1 | -1): CurrencyTotal[] {
  const list = totals.map((t) => ({ ...t }));
  let entry = list.find((t) => t.currency === c.currency);
  if (!entry) {
    if (sign < 0) return list;
    entry = { currency: c.currency, amount: 0, weighted: 0, count: 0 };
    list.push(entry);
  }
  entry.count += sign;
  entry.amount += sign * c.amount;
  entry.weighted += sign * c.weighted;
  return list.filter((t) => t.count > 0).sort((a, b) => a.currency.localeCompare(b.currency));
}

export interface CardLocation {
  stage: PipelineStage;
  stageIndex: number;
  index: number;
  card: PipelineCard;
}

export function findCard(board: Pipeline, cardId: string): CardLocation | undefined {
  for (let stageIndex = 0; stageIndex < board.stages.length; stageIndex++) {
    const stage = board.stages[stageIndex]!;
    const index = stage.cards.findIndex((c) => c.id === cardId);
    if (index >= 0) return { stage, stageIndex, index, card: stage.cards[index]! };
  }
  return undefined;
}

function withStage(stage: PipelineStage, cards: PipelineCard[], c: Contribution | null, sign: 1 | -1): PipelineStage {
  if (!c) return { ...stage, cards };
  return { ...stage, cards, count: Math.max(0, stage.count + sign), totals: applyToTotals(stage.totals, c, sign) };
}

/**
 * Moves a card to `index` of stage `toStageId` (the index counts cards without the moved one). A stage change
 * re-derives its probability (its own override, else the new stage's) and resets its time in stage; counts and
 * totals follow. `position` is the new Kanban position, when known.
 */
export function moveCard(board: Pipeline, cardId: string, toStageId: string, index: number, position?: number, now = new Date()): Pipeline {
  const from = findCard(board, cardId);
  const toStage = board.stages.find((s) => s.id === toStageId);
  if (!from || !toStage) return board;
  const changingStage = from.stage.id !== toStageId;
  const before = from.card;
  const moved: PipelineCard = changingStage
    ? {
        ...before,
        stageId: toStageId,
        probability: effectiveProbability(before, toStage),
        stageEnteredAt: now.toISOString(),
        daysInStage: 0,
        ...(position !== undefined && { position }),
      }
    : { ...before, ...(position !== undefined && { position }) };

  let totals = board.totals;
  if (changingStage) {
    if (from.stage.kind === "open") totals = applyToTotals(totals, contribution(before), -1);
    if (toStage.kind === "open") totals = applyToTotals(totals, contribution(moved), 1);
  }
  const stages = board.stages.map((stage) => {
    if (stage.id === from.stage.id && stage.id === toStageId) {
      const cards = stage.cards.filter((c) => c.id !== cardId);
      cards.splice(Math.max(0, Math.min(index, cards.length)), 0, moved);
      return { ...stage, cards };
    }
    if (stage.id === from.stage.id) return withStage(stage, stage.cards.filter((c) => c.id !== cardId), contribution(before), -1);
    if (stage.id === toStageId) {
      const cards = [...stage.cards];
      cards.splice(Math.max(0, Math.min(index, cards.length)), 0, moved);
      return withStage(stage, cards, contribution(moved), 1);
    }
    return stage;
  });
  return { ...board, stages, totals };
}

/**
 * The card shown where it was dropped while the stage-change dialog asks for a reason. Counts and totals stay
 * those of the board before the drop: they change only once the user confirms (`confirmMove`).
 */
export function previewMove(board: Pipeline, cardId: string, toStageId: string, index: number, position?: number, now = new Date()): Pipeline {
  const moved = moveCard(board, cardId, toStageId, index, position, now);
  const before = new Map(board.stages.map((s) => [s.id, s]));
  return { ...board, totals: board.totals, stages: moved.stages.map((s) => ({ ...s, count: before.get(s.id)!.count, totals: before.get(s.id)!.totals })) };
}

/** Takes a previewed move back: the card returns to `from` as it was, the numbers were never changed. */
export function undoPreview(board: Pipeline, original: PipelineCard, fromIndex: number): Pipeline {
  const back = previewMove(board, original.id, original.stageId, fromIndex, original.position);
  return { ...back, stages: back.stages.map((s) => ({ ...s, cards: s.cards.map((c) => (c.id === original.id ? original : c)) })) };
}

/** The user confirmed a previewed move: now the counts, column totals and forecast follow it. */
export function confirmMove(board: Pipeline, original: PipelineCard, fromIndex: number, toStageId: string, toIndex: number, position: number): Pipeline {
  return moveCard(undoPreview(board, original, fromIndex), original.id, toStageId, toIndex, position);
}

/** The server's counts and totals (GET …/pipeline/totals) over the cards already on screen. */
export function withTotals(board: Pipeline, numbers: PipelineTotals): Pipeline {
  const byId = new Map(numbers.stages.map((s) => [s.id, s]));
  return {
    ...board,
    totals: numbers.totals,
    stages: board.stages.map((s) => {
      const n = byId.get(s.id);
      return n ? { ...s, count: n.count, totals: n.totals } : s;
    }),
  };
}

/**
 * Appends the next page of a column, if the column still waits for exactly that page (`cursor`). Cards already
 * on the board (moved here locally meanwhile) are not shown twice.
 */
export function appendCards(board: Pipeline, stageId: string, cursor: string, page: StageCardsPage): Pipeline {
  const stage = board.stages.find((s) => s.id === stageId);
  if (!stage || stage.nextCursor !== cursor) return board;
  const onBoard = new Set(board.stages.flatMap((s) => s.cards.map((c) => c.id)));
  const fresh = page.cards.filter((c) => !onBoard.has(c.id));
  return { ...board, stages: board.stages.map((s) => (s.id === stageId ? { ...s, cards: [...s.cards, ...fresh], nextCursor: page.nextCursor } : s)) };
}

/** Applies field changes to one card (amount, probability, name, owner…) and adjusts its column's and the overall totals. */
export function updateCard(board: Pipeline, cardId: string, changes: Partial<PipelineCard>): Pipeline {
  const at = findCard(board, cardId);
  if (!at) return board;
  const before = at.card;
  const merged = { ...before, ...changes };
  const after: PipelineCard = { ...merged, probability: changes.probability ?? effectiveProbability(merged, at.stage) };
  const stageTotals = applyToTotals(applyToTotals(at.stage.totals, contribution(before), -1), contribution(after), 1);
  const totals = at.stage.kind === "open" ? applyToTotals(applyToTotals(board.totals, contribution(before), -1), contribution(after), 1) : board.totals;
  return {
    ...board,
    totals,
    stages: board.stages.map((s) =>
      s.id === at.stage.id ? { ...s, totals: stageTotals, cards: s.cards.map((c) => (c.id === cardId ? after : c)) } : s,
    ),
  };
}

/** The card fields a server opportunity record carries, for merging a PATCH answer (or a 409's `current`) into a card. */
export interface OpportunityLike {
  id: string;
  name: string;
  amount: number | null;
  currency: string;
  probability: number | null;
  closeDate: string | null;
  ownerId: string | null;
  accountId: string | null;
  stageId: string;
  stageEnteredAt: string;
  position: number;
  version: number;
}

export function cardChangesFrom(record: OpportunityLike, names: { ownerName?: string | null; accountName?: string | null } = {}): Partial<PipelineCard> {
  return {
    name: record.name,
    amount: record.amount,
    currency: record.currency,
    probabilityOverride: record.probability,
    closeDate: record.closeDate,
    ownerId: record.ownerId,
    ...(names.ownerName !== undefined && { ownerName: names.ownerName }),
    ...(names.accountName !== undefined && { accountName: names.accountName }),
    position: record.position,
    version: record.version,
  };
}
