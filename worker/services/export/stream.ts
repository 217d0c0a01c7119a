import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { csvRow } from "../../lib/csv";
import type { ImportEntity } from "../../schemas/import-export";

/** Rows per query: each page is one HTTP round trip to Neon (one subrequest), and about 300 KB of CSV. */
const PAGE_ROWS = 2_000;

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
    "externalId", "name", "accountExternalId", "accountName", "stageName", "amount", "currency", "probability", "closeDate",
    "primaryContactExternalId", "nextStep", "source", "description", "ownerEmail",
  ],
};

export const exportColumns = columns;

const ext = (alias: string) => sql.raw(`coalesce(${alias}.external_id, ${alias}.id::text)`);

/** One page of an entity's live rows after the keyset (created_at, id), with relations as names. */
function pageQuery(entity: ImportEntity, workspaceId: string, after: { ts: string; id: string } | null): SQL {
  const keyset = (alias: string) =>
    after ? sql`and (${sql.raw(alias)}.created_at, ${sql.raw(alias)}.id) > (${after.ts}::timestamptz, ${after.id}::uuid)` : sql``;
  const tail = (alias: string) =>
    sql`${sql.raw(alias)}.created_at::text as "_ts", ${sql.raw(alias)}.id as "_id"`;
  switch (entity) {
    case "accounts":
      return sql`select ${ext("a")} as "externalId", a.name, a.domain, a.website, a.industry, a.phone, a.employees,
          a.annual_revenue::text as "annualRevenue", a.currency, a.city, a.country, a.description, u.email as "ownerEmail", ${tail("a")}
        from accounts a left join users u on u.id = a.owner_id
        where a.workspace_id = ${workspaceId} and a.deleted_at is null ${keyset("a")}
        order by a.created_at, a.id limit ${PAGE_ROWS}`;
    case "contacts":
      return sql`select ${ext("c")} as "externalId", c.first_name as "firstName", c.last_name as "lastName", c.email, c.phone,
          c.mobile_phone as "mobilePhone", c.title, case when ac.id is not null then ${ext("ac")} end as "accountExternalId",
          ac.name as "accountName", u.email as "ownerEmail", ${tail("c")}
        from contacts c left join accounts ac on ac.id = c.account_id left join users u on u.id = c.owner_id
        where c.workspace_id = ${workspaceId} and c.deleted_at is null ${keyset("c")}
        order by c.created_at, c.id limit ${PAGE_ROWS}`;
    case "leads":
      return sql`select ${ext("l")} as "externalId", l.first_name as "firstName", l.last_name as "lastName", l.email, l.phone, l.title,
          l.company, l.status, l.source, l.description, u.email as "ownerEmail", ${tail("l")}
        from leads l left join users u on u.id = l.owner_id
        where l.workspace_id = ${workspaceId} and l.deleted_at is null ${keyset("l")}
        order by l.created_at, l.id limit ${PAGE_ROWS}`;
    case "opportunities":
      return sql`select ${ext("o")} as "externalId", o.name, case when ac.id is not null then ${ext("ac")} end as "accountExternalId",
          ac.name as "accountName", st.name as "stageName", o.amount::text as amount, o.currency, o.probability,
          o.close_date::text as "closeDate", case when pc.id is not null then ${ext("pc")} end as "primaryContactExternalId",
          o.next_step as "nextStep", o.source, o.description, u.email as "ownerEmail", ${tail("o")}
        from opportunities o
          join pipeline_stages st on st.id = o.stage_id
          left join accounts ac on ac.id = o.account_id
          left join contacts pc on pc.id = o.primary_contact_id
          left join users u on u.id = o.owner_id
        where o.workspace_id = ${workspaceId} and o.deleted_at is null ${keyset("o")}
        order by o.created_at, o.id limit ${PAGE_ROWS}`;
  }
}

const rowsOf = (r: unknown): Record<string, unknown>[] => (r as { rows?: Record<string, unknown>[] }).rows ?? (r as Record<string, unknown>[]);

/**
 * Every live record of the caller's workspace as CSV, produced page by page as the client reads: memory stays at
 * one page whatever the table size, and a client that stops reading stops the queries. Keyset pages on
 * (created_at, id) use the (workspace_id, created_at, id) indexes and list records in creation order.
 */
export function exportRecords(input: { db: Database; workspaceId: string; entity: ImportEntity; bom: boolean; requestId?: string }): ReadableStream<Uint8Array> {
  const { db, workspaceId, entity } = input;
  const cols = columns[entity];
  const encoder = new TextEncoder();
  let after: { ts: string; id: string } | null = null;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode((input.bom ? "\ufeff" : "") + csvRow(cols)));
    },
    async pull(controller) {
      try {
        const rows = rowsOf(await db.http.execute(pageQuery(entity, workspaceId, after)));
        if (rows.length) {
          let out = "";
          for (const r of rows) out += csvRow(cols.map((c) => r[c] as string | number | null));
          controller.enqueue(encoder.encode(out));
          const last = rows[rows.length - 1]!;
          after = { ts: String(last._ts), id: String(last._id) };
        }
        if (rows.length < PAGE_ROWS) controller.close();
      } catch (err) {
        // Headers are gone already: the client sees a broken download rather than a truncated file it might trust.
        console.error(JSON.stringify({ level: "error", msg: "export failed mid-stream", requestId: input.requestId, entity, error: String(err) }));
        controller.error(err);
      }
    },
  });
}
