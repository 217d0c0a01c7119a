import { sql, type SQL } from "drizzle-orm";
import { ValidationError } from "../middleware/errors";

/**
 * Keyset pagination: the cursor carries the last row's sort value and id, so page 1,000 costs what page 1 costs.
 * Nullable sort columns follow Postgres' default ordering (NULLS LAST ascending, NULLS FIRST descending).
 */
export interface Keyset {
  value: string | number | null;
  id: string;
}

export function encodeCursor(k: Keyset): string {
  return btoa(JSON.stringify([k.value, k.id])).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

export function decodeCursor(cursor: string): Keyset {
  try {
    const json = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    const [value, id] = JSON.parse(json) as [unknown, unknown];
    if (typeof id !== "string" || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error("bad id");
    if (value !== null && typeof value !== "string" && typeof value !== "number") throw new Error("bad value");
    return { value, id };
  } catch {
    throw new ValidationError("The cursor is invalid; start again without one", [{ path: "cursor", message: "is not a cursor this API issued" }], 400);
  }
}

/** `WHERE` fragment selecting rows strictly after the cursor for `ORDER BY col dir, id dir`. */
export function afterCursor(col: SQL, idCol: SQL, dir: "asc" | "desc", k: Keyset, cast = ""): SQL {
  const v = k.value === null ? null : sql`${k.value}${sql.raw(cast)}`;
  if (dir === "asc") {
    // Order: values ascending, then NULLs.
    if (v === null) return sql`(${col} is null and ${idCol} > ${k.id})`;
    return sql`((${col} > ${v}) or (${col} = ${v} and ${idCol} > ${k.id}) or ${col} is null)`;
  }
  // Order: NULLs first, then values descending.
  if (v === null) return sql`((${col} is null and ${idCol} < ${k.id}) or ${col} is not null)`;
  return sql`((${col} < ${v}) or (${col} = ${v} and ${idCol} < ${k.id}))`;
}
