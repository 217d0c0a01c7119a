import { and, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { csvRow } from "../../lib/csv";
import { ValidationError } from "../../lib/errors";
import type { ExportQuery, ImportEntity } from "../../schemas/import-export";
import { entityByPlural, type EntityDef } from "../records/entities";

/** Rows per FETCH from the server-side cursor: about 300 KB of CSV, the most the Worker holds at once. */
const BATCH_ROWS = 2_000;

/**
 * Export columns: the field names the import accepts, in an order a person reading the sheet expects. Relations
 * are written as the related record's externalId and name; a record without an externalId gets its id as
 * externalId, so importing the export into the same workspace updates every row in place (nothing duplicated)
 * and importing it into another workspace recreates the records and their links. Money stays in integer minor
 * units next to its currency (import with the default amountUnit "minor").
 */
const columns: Record<ImportEntity, string[]> = {
  accounts: ["externalId", "name", "domain", "website", "industry", "phone", "employees", "annualRevenue", "currency", "city", "country", "description", "ownerEmail"],
  contacts: ["externalId", "firstName", "lastName", "email", "phone", "mobilePhone", "title", "accountExternalId", "accountName", "ownerEmail"],
  leads: ["externalId", "firstName", "lastName", "email", "phone", "title", "company", "status", "source", "description", "ownerEmail"],
  opportunities: [
    "externalId", "name", "accountExternalId", "accountName", "pipeline", "stageName", "amount", "currency", "probability", "closeDate",
    "primaryContactExternalId", "nextStep", "source", "description", "ownerEmail",
  ],
};

export const exportColumns = columns;

const ext = (alias: string) => sql.raw(`coalesce(${alias}.external_id, ${alias}.id::text)`);

/**
 * The select list and joins of one entity. The exported table keeps its own name (no alias) because the list's
 * filters and sorts are written against it (`"contacts"."owner_id"`); related tables get short aliases.
 */
function selectFrom(entity: ImportEntity): SQL {
  switch (entity) {
    case "accounts":
      return sql`select ${ext("accounts")} as "externalId", accounts.name, accounts.domain, accounts.website, accounts.industry, accounts.phone,
          accounts.employees, accounts.annual_revenue::text as "annualRevenue", accounts.currency, accounts.city, accounts.country,
          accounts.description, u.email as "ownerEmail"
        from accounts left join users u on u.id = accounts.owner_id`;
    case "contacts":
      return sql`select ${ext("contacts")} as "externalId", contacts.first_name as "firstName", contacts.last_name as "lastName", contacts.email,
          contacts.phone, contacts.mobile_phone as "mobilePhone", contacts.title, case when ac.id is not null then ${ext("ac")} end as "accountExternalId",
          ac.name as "accountName", u.email as "ownerEmail"
        from contacts left join accounts ac on ac.id = contacts.account_id left join users u on u.id = contacts.owner_id`;
    case "leads":
      return sql`select ${ext("leads")} as "externalId", leads.first_name as "firstName", leads.last_name as "lastName", leads.email, leads.phone,
          leads.title, leads.company, leads.status, leads.source, leads.description, u.email as "ownerEmail"
        from leads left join users u on u.id = leads.owner_id`;
    case "opportunities":
      return sql`select ${ext("opportunities")} as "externalId", opportunities.name,
          case when ac.id is not null then ${ext("ac")} end as "accountExternalId", ac.name as "accountName", pl.name as "pipeline", st.name as "stageName",
          opportunities.amount::text as amount, opportunities.currency, opportunities.probability, opportunities.close_date::text as "closeDate",
          case when pc.id is not null then ${ext("pc")} end as "primaryContactExternalId", opportunities.next_step as "nextStep",
          opportunities.source, opportunities.description, u.email as "ownerEmail"
        from opportunities
          join pipeline_stages st on st.id = opportunities.stage_id
          join pipelines pl on pl.id = st.pipeline_id
          left join accounts ac on ac.id = opportunities.account_id
          left join contacts pc on pc.id = opportunities.primary_contact_id
          left join users u on u.id = opportunities.owner_id`;
  }
}

/**
 * The list's WHERE and ORDER BY for the same query parameters (`GET /api/{entity}`): owner, created/updated ranges,
 * free text and the entity's own filters, sorted as the list is. Live records only: the trash is not exported.
 */
function listShape(def: EntityDef, workspaceId: string, q: ExportQuery): { where: SQL; orderBy: SQL } {
  const tbl = def.table;
  const where: SQL[] = [sql`${tbl.workspaceId} = ${workspaceId}`, sql`${tbl.deletedAt} is null`];
  if (q.ownerId && tbl.ownerId) where.push(sql`${tbl.ownerId} = ${q.ownerId}`);
  if (q.createdFrom) where.push(sql`${tbl.createdAt} >= ${q.createdFrom}`);
  if (q.createdTo) where.push(sql`${tbl.createdAt} <= ${q.createdTo}`);
  if (q.updatedFrom) where.push(sql`${tbl.updatedAt} >= ${q.updatedFrom}`);
  if (q.updatedTo) where.push(sql`${tbl.updatedAt} <= ${q.updatedTo}`);
  if (q.q) where.push(def.search(`%${q.q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`));
  // The entity filters read only filter fields; paging fields do not apply to an export.
  where.push(...def.filters({ ...q, limit: 0 }));
  const sortKey = q.sort ?? def.defaultSort;
  const sort = def.sorts[sortKey.replace(/^-/, "")];
  if (!sort) {
    throw new ValidationError(`Cannot sort by "${sortKey}"`, [{ path: "sort", message: `one of ${Object.keys(def.sorts).map((s) => `${s}, -${s}`).join(", ")}` }], 400);
  }
  const dir = sql.raw(sortKey.startsWith("-") ? "desc" : "asc");
  return { where: and(...where)!, orderBy: sql`${sort.col} ${dir}, ${tbl.id} ${dir}` };
}

/** The export's one statement; validates the sort (400) before any byte is sent. */
export function exportQuery(entity: ImportEntity, workspaceId: string, q: ExportQuery): SQL {
  const { where, orderBy } = listShape(entityByPlural[entity]!, workspaceId, q);
  return sql`${selectFrom(entity)} where ${where} order by ${orderBy}`;
}

/**
 * The records the list shows for the same filters and sort, as CSV, produced as the client reads: one statement
 * behind a server-side cursor on one connection (one subrequest, however many rows), FETCHed 2,000 rows at a time,
 * so memory stays at one batch and a client that stops reading stops the query.
 */
export function exportRecords(input: { db: Database; query: SQL; entity: ImportEntity; bom: boolean; requestId?: string }): ReadableStream<Uint8Array> {
  const cols = columns[input.entity];
  const encoder = new TextEncoder();
  let batches: AsyncGenerator<Record<string, unknown>[]> | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode((input.bom ? "\ufeff" : "") + csvRow(cols)));
    },
    async pull(controller) {
      try {
        batches ??= input.db.cursor(input.query, BATCH_ROWS);
        const next = await batches.next();
        if (next.done) return controller.close();
        let out = "";
        for (const r of next.value) out += csvRow(cols.map((c) => r[c] as string | number | null));
        controller.enqueue(encoder.encode(out));
      } catch (err) {
        // Headers are gone already: the client sees a broken download rather than a truncated file it might trust.
        console.error(JSON.stringify({ level: "error", msg: "export failed mid-stream", requestId: input.requestId, entity: input.entity, error: String(err) }));
        controller.error(err);
      }
    },
    async cancel() {
      await batches?.return(undefined);
    },
  }, { highWaterMark: 0 });
}
