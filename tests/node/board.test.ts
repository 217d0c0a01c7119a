/**
 * The board's optimistic arithmetic (web/lib/board.ts): what the user sees in the column headers and the forecast
 * between a drop and the server's answer must match what the server will say.
 */
import { describe, expect, it } from "vitest";
import { appendCards, applyToTotals, confirmMove, moveCard, positionAt, positionBetween, previewMove, undoPreview, updateCard, withTotals } from "../../web/lib/board";
import type { Pipeline, PipelineCard, PipelineStage } from "../../web/lib/api-types";

function card(id: string, stageId: string, position: number, amount: number | null, probability: number, currency = "USD", override: number | null = null): PipelineCard {
  return {
    id,
    name: id,
    accountName: null,
    amount,
    currency,
    probability,
    probabilityOverride: override,
    closeDate: null,
    ownerId: null,
    ownerName: null,
    stageId,
    stageEnteredAt: "2026-01-01T00:00:00.000Z",
    daysInStage: 12,
    rotting: false,
    daysOver: null,
    agingLimit: null,
    inactiveDays: null,
    winScore: null,
    position,
    version: 1,
    custom: {},
  };
}

/** Totals computed from scratch, the way the server does for a board whose every card is loaded. */
function expectedTotals(stage: PipelineStage) {
  const by = new Map<string, { currency: string; amount: number; weighted: number; count: number }>();
  for (const c of stage.cards) {
    const t = by.get(c.currency) ?? { currency: c.currency, amount: 0, weighted: 0, count: 0 };
    t.count++;
    t.amount += c.amount ?? 0;
    t.weighted += Math.round(((c.amount ?? 0) * c.probability) / 100);
    by.set(c.currency, t);
  }
  return [...by.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

function board(): Pipeline {
  const stages: PipelineStage[] = [
    { id: "p", name: "Prospecting", position: 0, probability: 10, kind: "open", agingDays: null, rottingCount: 0, agingLimit: null, count: 0, totals: [], cards: [card("a", "p", 1024, 100_00, 10), card("b", "p", 2048, 250_00, 10, "EUR"), card("c", "p", 3072, null, 10)], nextCursor: null },
    { id: "n", name: "Negotiation", position: 1, probability: 75, kind: "open", agingDays: null, rottingCount: 0, agingLimit: null, count: 0, totals: [], cards: [card("d", "n", 1024, 1_000_00, 40, "USD", 40)], nextCursor: null },
    { id: "w", name: "Won", position: 2, probability: 100, kind: "won", agingDays: null, rottingCount: 0, agingLimit: null, count: 0, totals: [], cards: [], nextCursor: null },
  ];
  for (const s of stages) {
    s.totals = expectedTotals(s);
    s.count = s.cards.length;
  }
  const open = stages.filter((s) => s.kind === "open");
  const totals = expectedTotals({ ...open[0]!, cards: open.flatMap((s) => s.cards) });
  return { pipeline: { id: "p", key: "sales", name: "Sales", isDefault: true }, stages, totals };
}

describe("board positions", () => {
  it("puts a card between its neighbours, or a step beyond the end it lands on", () => {
    expect(positionBetween(1024, 2048)).toBe(1536);
    expect(positionBetween(undefined, 1024)).toBe(0);
    expect(positionBetween(3072, undefined)).toBe(4096);
    expect(positionBetween(undefined, undefined)).toBe(1024);
    const cards = board().stages[0]!.cards;
    expect(positionAt(cards, 0)).toBeLessThan(cards[0]!.position);
    expect(positionAt(cards, 1)).toBeGreaterThan(cards[0]!.position);
    expect(positionAt(cards, 1)).toBeLessThan(cards[1]!.position);
    expect(positionAt(cards, 3)).toBeGreaterThan(cards[2]!.position);
  });
});

describe("moving a card", () => {
  it("moves it to the new stage at the drop index with the new stage's probability and counts/totals like the server's", () => {
    const next = moveCard(board(), "a", "n", 0, 512);
    const [p, n] = next.stages;
    expect(p!.cards.map((c) => c.id)).toEqual(["b", "c"]);
    expect(n!.cards.map((c) => c.id)).toEqual(["a", "d"]);
    const moved = n!.cards[0]!;
    expect(moved).toMatchObject({ stageId: "n", probability: 75, position: 512, daysInStage: 0 });
    expect(p!.count).toBe(2);
    expect(n!.count).toBe(2);
    expect(p!.totals).toEqual(expectedTotals(p!));
    expect(n!.totals).toEqual(expectedTotals(n!));
    // Overall: open stages only, per currency; weighted follows the new probability.
    expect(next.totals.find((t) => t.currency === "USD")).toEqual({ currency: "USD", amount: 1_100_00, weighted: 75_00 + 400_00, count: 3 });
  });

  it("keeps a deal's own probability override when it changes stage", () => {
    const next = moveCard(board(), "d", "p", 0);
    expect(next.stages[0]!.cards[0]).toMatchObject({ id: "d", probability: 40 });
  });

  it("takes a deal out of the open forecast when it moves to a won stage, and puts it back on the way back", () => {
    const start = board();
    const won = moveCard(start, "d", "w", 0);
    expect(won.totals.find((t) => t.currency === "USD")).toEqual({ currency: "USD", amount: 100_00, weighted: 10_00, count: 2 });
    expect(won.stages[2]!.totals).toEqual([{ currency: "USD", amount: 1_000_00, weighted: 1_000_00 * 0.4, count: 1 }]);
    const back = moveCard(won, "d", "n", 0);
    expect(back.totals).toEqual(start.totals);
  });

  it("reorders within a stage without touching counts or totals", () => {
    const start = board();
    const next = moveCard(start, "c", "p", 0, 0);
    expect(next.stages[0]!.cards.map((c) => c.id)).toEqual(["c", "a", "b"]);
    expect(next.stages[0]!.totals).toEqual(start.stages[0]!.totals);
    expect(next.totals).toEqual(start.totals);
  });

  it("is undone exactly by the inverse move (a rollback)", () => {
    const start = board();
    const original = start.stages[0]!.cards[1]!;
    const moved = moveCard(start, "b", "n", 1, 5000);
    const back = updateCard(moveCard(moved, "b", "p", 1, original.position), "b", original);
    expect(back).toEqual(start);
  });
});

describe("editing a card", () => {
  it("changes the column's and the forecast's totals by the amount difference", () => {
    const next = updateCard(board(), "a", { amount: 300_00 });
    expect(next.stages[0]!.totals).toEqual(expectedTotals(next.stages[0]!));
    expect(next.totals.find((t) => t.currency === "USD")).toEqual({ currency: "USD", amount: 1_300_00, weighted: 30_00 + 400_00, count: 3 });
  });

  it("counts a deal that gets its first amount, and drops a currency whose last deal goes", () => {
    const withAmount = updateCard(board(), "c", { amount: 50_00 });
    expect(withAmount.stages[0]!.totals).toEqual(expectedTotals(withAmount.stages[0]!));
    expect(applyToTotals([{ currency: "EUR", amount: 250_00, weighted: 25_00, count: 1 }], { currency: "EUR", amount: 250_00, weighted: 25_00 }, -1)).toEqual([]);
  });

  it("re-derives the probability when an override is cleared", () => {
    const next = updateCard(board(), "d", { probabilityOverride: null });
    expect(next.stages[1]!.cards[0]!.probability).toBe(75);
    expect(next.stages[1]!.totals).toEqual(expectedTotals(next.stages[1]!));
  });
});

describe("a move waiting for its reason", () => {
  const numbers = (b: Pipeline) => ({ totals: b.totals, stages: b.stages.map((s) => [s.count, s.totals]) });

  it("shows the card where it was dropped but keeps every count and total until confirmed", () => {
    const b = board();
    const preview = previewMove(b, "a", "w", 0, 512);
    expect(preview.stages[2]!.cards.map((c) => c.id)).toEqual(["a"]);
    expect(preview.stages[0]!.cards.map((c) => c.id)).toEqual(["b", "c"]);
    expect(numbers(preview)).toEqual(numbers(b));

    const confirmed = confirmMove(preview, b.stages[0]!.cards[0]!, 0, "w", 0, 512);
    expect(confirmed.stages.map((s) => s.cards.map((c) => c.id))).toEqual(preview.stages.map((s) => s.cards.map((c) => c.id)));
    expect(numbers(confirmed)).toEqual(numbers(moveCard(b, "a", "w", 0, 512)));
    expect(confirmed.stages[2]!.count).toBe(1);
    expect(confirmed.totals.find((t) => t.currency === "USD")!.amount).toBe(1_000_00);
  });

  it("cancelling puts the very same card back in its place", () => {
    const b = board();
    const back = undoPreview(previewMove(b, "b", "n", 1, 4096), b.stages[0]!.cards[1]!, 1);
    expect(back).toEqual(b);
  });
});

describe("paging and server numbers", () => {
  it("appends a column's next page once, skipping cards already on the board", () => {
    const b = board();
    b.stages[0]!.nextCursor = "c1";
    const page = { cards: [card("d", "p", 4000, 5, 10), card("e", "p", 5000, 7, 10)], nextCursor: "c2" };
    const next = appendCards(b, "p", "c1", page);
    expect(next.stages[0]!.cards.map((c) => c.id)).toEqual(["a", "b", "c", "e"]); // "d" is in Negotiation already
    expect(next.stages[0]!.nextCursor).toBe("c2");
    // The same answer arriving twice (or for an older cursor) changes nothing.
    expect(appendCards(next, "p", "c1", page)).toBe(next);
  });

  it("takes the server's counts and totals and keeps the cards", () => {
    const b = board();
    const numbers = { pipelineId: "p", stages: [{ id: "p", count: 812, totals: [{ currency: "USD", amount: 9, weighted: 1, count: 812 }] }], totals: [{ currency: "USD", amount: 9, weighted: 1, count: 812 }] };
    const next = withTotals(b, numbers);
    expect(next.stages[0]).toMatchObject({ count: 812, totals: numbers.stages[0]!.totals, cards: b.stages[0]!.cards });
    expect(next.stages[1]).toBe(b.stages[1]);
    expect(next.totals).toEqual(numbers.totals);
  });
});
