import { sql, type SQL } from "drizzle-orm";
import { ValidationError } from "./errors";

/**
 * Keyset pagination: the cursor carries the last row's sort value and id, so page 1,000 costs what page 1 costs.
 * Nullable sort columns follow Postgres' default ordering (NULLS LAST ascending, NULLS FIRST descending).
 */
export interface Keyset {
  value: string | number | null;
  id: string;
}

// base64url of the UTF-8 bytes: btoa alone throws on any character beyond Latin-1 (a name with "—" or "é").
export function encodeCursor(k: Keyset): string {
  const bytes = new TextEncoder().encode(JSON.stringify([k.value, k.id]));
  return btoa(String.fromCharCode(...bytes)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

export function decodeCursor(cursor: string): Keyset {
  try {
    const json = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(atob(cursor.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0)));
    const [value, id] = JSON.parse(json) as [unknown, unknown];
    if (typeof id !== "string" || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error("bad id");
    if (value !== null && typeof value !== "string" && typeof value !== "number") throw new Error("bad value");
    return { value, id };
  } catch {
    throw new ValidationError("The cursor is invalid; start again without one", [{ path: "cursor", message: "is not a cursor this API issued" }], 400);
  }
}

/**
 * `WHERE` fragment selecting rows strictly after the cursor for `ORDER BY col dir, id dir` on a NOT NULL column.
 * A row comparison, so Postgres turns it into an index range on (…, col, id) instead of filtering from the start.
 * Nullable sort columns are paged in segments by the caller (see records/list.ts).
 */
export function afterCursor(col: SQL, idCol: SQL, dir: "asc" | "desc", k: Keyset, cast = ""): SQL {
  if (k.value === null) throw new ValidationError("The cursor is invalid; start again without one", [{ path: "cursor", message: "does not fit this sort" }], 400);
  const v = sql`${k.value}${sql.raw(cast)}`;
  return dir === "asc" ? sql`(${col}, ${idCol}) > (${v}, ${k.id}::uuid)` : sql`(${col}, ${idCol}) < (${v}, ${k.id}::uuid)`;
}
