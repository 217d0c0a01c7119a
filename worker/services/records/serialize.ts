/** API shape of a row: no internal columns (tenant id, search vector), timestamps as ISO 8601 UTC strings. */
export function serialize(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (k === "workspaceId" || k === "search") continue;
    out[k] = v instanceof Date ? v.toISOString() : v;
  }
  return out;
}
