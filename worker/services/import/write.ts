import { getTableName, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { rowsOf, type Tx } from "../../../db/client";
import type { ImportSpec } from "./fields";

export interface WriteRow {
  /** Values by API field name, for every field in `insertFields`. */
  values: Record<string, unknown>;
  /**
   * Set when the row matched an existing record by its id (an export of a record without externalId; the row's
   * externalId must then be null) or by e-mail, domain or name: updated in place.
   */
  matchId: string | null;
}

const q = (ident: string) => `"${ident.replace(/"/g, '""')}"`;

/**
 * Writes one batch in one statement and one round trip. The rows travel as a single JSON parameter
 * (json_to_recordset), so a batch of 500 is one bind value rather than thousands. Rows with an externalId go
 * through INSERT … ON CONFLICT (workspace_id, external_id) DO UPDATE, which makes a re-import update instead of
 * duplicate even against a concurrent import; rows matched by id (records exported without an externalId) are
 * updated by id. An update only happens when a written column differs, so re-importing identical data touches
 * nothing (no new updated_at, no version bump): such rows come back absent and count as unchanged.
 *
 * New opportunities get closed_at by their stage's kind and the bottom of its column. An existing deal's stage is
 * never written here: the caller moves it with the stage-move verb (services/opportunities/move-stage.ts).
 */
export async function writeBatch(
  tx: Tx,
  spec: ImportSpec,
  workspaceId: string,
  setFields: string[],
  insertFields: string[],
  rows: WriteRow[],
): Promise<{ id: string; inserted: boolean }[]> {
  const table = spec.def.table;
  const tableName = getTableName(table);
  const col = (field: string): PgColumn => {
    const c = table[field];
    if (!c) throw new Error(`import: no column for field ${field}`);
    return c;
  };
  const insertCols = insertFields.map(col);
  const isOpp = spec.entity === "opportunities";
  const setCols = setFields.map(col).map((c) => c.name).filter((c) => !(isOpp && c === "stage_id"));

  const records = rows.map((r, i) => {
    const o: Record<string, unknown> = { _ord: i, _match: r.matchId };
    for (const f of insertFields) o[col(f).name] = r.values[f] ?? null;
    return o;
  });
  const defs = ["_ord integer", "_match uuid", ...insertCols.map((c) => `${q(c.name)} ${c.getSQLType()}`)].join(", ");

  // New opportunities: closed_at for won/lost stages and a place at the bottom of the stage's column.
  const src = isOpp
    ? sql`select s.*, case when st.kind <> 'open' then now() end as _closed_at,
          coalesce(mx.p, 0) + 1024 * row_number() over (partition by s.stage_id order by s._ord) as _position
        from json_to_recordset(${JSON.stringify(records)}::json) as s(${sql.raw(defs)})
        join pipeline_stages st on st.id = s.stage_id
        left join lateral (
          select max(o.position) as p from opportunities o
          where o.workspace_id = ${workspaceId} and o.stage_id = s.stage_id and o.deleted_at is null
        ) mx on true`
    : sql`select s.* from json_to_recordset(${JSON.stringify(records)}::json) as s(${sql.raw(defs)})`;

  /** SET list and change test against source alias `S` (`s` for the update, `excluded` for the upsert). */
  // Custom values merge: the imported keys over the record's own (a file with one custom column keeps the others).
  const source = (S: string, c: string) => (c === "custom" ? `(t.custom || ${S}.custom)` : `${S}.${q(c)}`);
  const assignments = (S: string): SQL => {
    const parts = setCols.map((c) => `${q(c)} = ${source(S, c)}`);
    if (isOpp) parts.push("version = t.version + 1");
    parts.push("updated_at = now()");
    return sql.raw(parts.join(", "));
  };
  const changed = (S: string) =>
    sql.raw(`row(${setCols.map((c) => `t.${q(c)}`).join(", ")}) is distinct from row(${setCols.map((c) => source(S, c)).join(", ")})`);
  // A record matched by e-mail, domain or name takes the row's externalId when it has none, so the next import of the
  // file matches it by externalId. (Rows matched by id carry no externalId here: see WriteRow.)
  const adopt = insertFields.includes("externalId");
  const updChanged = adopt ? sql`(${changed("s")} or (t.external_id is null and s.external_id is not null))` : changed("s");
  const updSet = adopt ? sql`${assignments("s")}, external_id = coalesce(t.external_id, s.external_id)` : assignments("s");

  const T = sql.raw(q(tableName));
  const colList = sql.raw(insertCols.map((c) => q(c.name)).join(", ") + (isOpp ? ", closed_at, position" : ""));
  const selList = sql.raw(insertCols.map((c) => `s.${q(c.name)}`).join(", ") + (isOpp ? ", s._closed_at, s._position" : ""));

  const hasSet = setCols.length > 0;
  const upd = hasSet
    ? sql`update ${T} as t set ${updSet}
        from src s where s._match is not null and t.id = s._match and t.workspace_id = ${workspaceId} and ${updChanged}
        returning t.id, false as inserted`
    : sql`select null::uuid as id, false as inserted where false`;
  const conflict = hasSet
    ? sql`do update set ${assignments("excluded")} where ${changed("excluded")}`
    : sql`do nothing`;

  const res = await tx.execute(sql`
    with src as (${src}),
    upd as (${upd}),
    ins as (
      insert into ${T} as t (workspace_id, ${colList})
      select ${workspaceId}::uuid, ${selList} from src s where s._match is null
      on conflict (workspace_id, external_id) ${conflict}
      returning t.id, (t.xmax = 0) as inserted
    )
    select id, inserted from upd union all select id, inserted from ins`);
  return rowsOf(res).map((r) => ({ id: String(r.id), inserted: r.inserted === true || r.inserted === "t" }));
}
