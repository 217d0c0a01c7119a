import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "../../worker/lib/cursor";

describe("list cursors", () => {
  const id = "3f44db71-6fe0-48f2-9208-e0f1715b3b2a";

  it("round-trips a sort value beyond Latin-1 (deal names like “Acme — Pilot” sorted by name)", () => {
    for (const value of ["Northwind Traders — Platform licence", "Société Générale", "株式会社", "😀 emoji"]) {
      const cursor = encodeCursor({ value, id });
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(cursor)).toEqual({ value, id });
    }
  });

  it("still reads cursors of plain ASCII values, numbers and nulls", () => {
    for (const value of ["2026-11-24 14:42:07.892+00", 12345, null]) expect(decodeCursor(encodeCursor({ value, id }))).toEqual({ value, id });
  });

  it("refuses a cursor it did not issue with a 400 naming the field", () => {
    for (const bad of ["not-a-cursor", encodeCursor({ value: "x", id: "nope" }), "%%%"]) {
      expect(() => decodeCursor(bad)).toThrowError(expect.objectContaining({ status: 400, extra: { errors: [expect.objectContaining({ path: "cursor" })] } }));
    }
  });
});
