import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import type { EntityDef } from "./entities";
import { loadRecord } from "./load";
import { serialize } from "./serialize";

type Row = Record<string, unknown>;

/**
 * A record with what a detail page shows beside it, in two round trips: the record (404 if not the caller's), then
 * one batch of related queries.
 */
export async function getRecordDetail(input: { db: Database; workspaceId: string; def: EntityDef; id: string }) {
  const { db, workspaceId, def, id } = input;
  const record = await loadRecord(db.http, def, workspaceId, id);
  const x = db.http;
  const related: Record<string, unknown> = {};
  const contactCols = sql`c.id, c.name, c.first_name as "firstName", c.last_name as "lastName", c.email, c.phone, c.title, c.account_id as "accountId"`;
  // bigint arrives as a string from raw SQL; amounts are capped at 2^53 (see minorAmountSchema), so float8 is exact.
  const oppCols = sql`o.id, o.name, o.amount::float8 as amount, o.currency, o.close_date::text as "closeDate", o.stage_id as "stageId", s.name as "stageName", s.kind as "stageKind", s.pipeline_id as "pipelineId", coalesce(o.probability, s.probability) as probability, o.owner_id as "ownerId", o.version`;
  const openTask = (col: string) =>
    x.execute(sql`select id, subject, due_at as "dueAt", owner_id as "ownerId" from activities
      where ${sql.identifier(col)} = ${id} and workspace_id = ${workspaceId} and type = 'task' and completed_at is null and deleted_at is null
      order by due_at nulls last, id limit 1`);
  const owner = (ownerId: unknown) =>
    x.execute(sql`select id, name, email from users where id = ${(ownerId as string | null) ?? null}::uuid and workspace_id = ${workspaceId}`);

  switch (def.type) {
    case "account": {
      const [contacts, opps, own, counts] = await x.batch([
        x.execute(sql`select ${contactCols} from contacts c where c.account_id = ${id} and c.deleted_at is null order by c.last_name nulls last, c.id limit 200`),
        x.execute(sql`select ${oppCols} from opportunities o join pipeline_stages s on s.id = o.stage_id
          where o.account_id = ${id} and o.deleted_at is null and s.kind = 'open' order by s.position, o.position limit 200`),
        owner(record.ownerId),
        x.execute(sql`select
          (select count(*)::int from contacts where account_id = ${id} and deleted_at is null) as contacts,
          (select count(*)::int from opportunities where account_id = ${id} and deleted_at is null) as opportunities`),
      ]);
      Object.assign(related, { contacts: rowsOf(contacts), openOpportunities: rowsOf(opps), owner: rowsOf(own)[0] ?? null, counts: rowsOf(counts)[0] });
      break;
    }
    case "contact": {
      const [account, opps, own, task] = await x.batch([
        x.execute(sql`select id, name, domain, industry from accounts where id = ${(record.accountId as string | null) ?? null}::uuid and workspace_id = ${workspaceId}`),
        x.execute(sql`select ${oppCols} from opportunities o join pipeline_stages s on s.id = o.stage_id
          where o.deleted_at is null and o.workspace_id = ${workspaceId}
            and (o.primary_contact_id = ${id} or o.id in (select opportunity_id from opportunity_contacts where contact_id = ${id}))
          order by s.position, o.position limit 200`),
        owner(record.ownerId),
        openTask("contact_id"),
      ]);
      Object.assign(related, { account: rowsOf(account)[0] ?? null, opportunities: rowsOf(opps), owner: rowsOf(own)[0] ?? null, nextTask: rowsOf(task)[0] ?? null });
      break;
    }
    case "lead": {
      const [own, converted, task] = await x.batch([
        owner(record.ownerId),
        x.execute(sql`select
          (select json_build_object('id', id, 'name', name) from accounts where id = ${(record.convertedAccountId as string | null) ?? null}::uuid) as account,
          (select json_build_object('id', id, 'name', name) from contacts where id = ${(record.convertedContactId as string | null) ?? null}::uuid) as contact,
          (select json_build_object('id', id, 'name', name) from opportunities where id = ${(record.convertedOpportunityId as string | null) ?? null}::uuid) as opportunity`),
        openTask("lead_id"),
      ]);
      Object.assign(related, { owner: rowsOf(own)[0] ?? null, converted: record.convertedAt ? rowsOf(converted)[0] : null, nextTask: rowsOf(task)[0] ?? null });
      break;
    }
    case "opportunity": {
      const [account, contacts, stage, own, task] = await x.batch([
        x.execute(sql`select id, name, domain, industry from accounts where id = ${(record.accountId as string | null) ?? null}::uuid and workspace_id = ${workspaceId}`),
        x.execute(sql`select ${contactCols}, (c.id = ${(record.primaryContactId as string | null) ?? null}::uuid) as "isPrimary", oc.role
          from contacts c left join opportunity_contacts oc on oc.contact_id = c.id and oc.opportunity_id = ${id}
          where c.deleted_at is null and (c.id = ${(record.primaryContactId as string | null) ?? null}::uuid or oc.opportunity_id is not null)
          order by 9 desc, c.last_name nulls last`),
        x.execute(sql`select s.id, s.name, s.probability, s.kind, s.position, s.aging_days as "agingDays", s.pipeline_id as "pipelineId", p.name as "pipelineName"
          from pipeline_stages s join pipelines p on p.id = s.pipeline_id where s.id = ${record.stageId as string}::uuid`),
        owner(record.ownerId),
        openTask("opportunity_id"),
      ]);
      Object.assign(related, { account: rowsOf(account)[0] ?? null, contacts: rowsOf(contacts), stage: rowsOf(stage)[0] ?? null, owner: rowsOf(own)[0] ?? null, nextTask: rowsOf(task)[0] ?? null });
      break;
    }
    case "activity": {
      const [actor] = await x.batch([x.execute(sql`select id, name, email from users where id = ${(record.actorId as string | null) ?? null}::uuid`)]);
      Object.assign(related, { actor: rowsOf(actor)[0] ?? null });
      break;
    }
  }
  const out = serialize(record);
  if (def.type === "opportunity") out.pipelineId = (related.stage as { pipelineId?: string } | null)?.pipelineId ?? null;
  return { ...out, related: serializeDeep(related) };
}

function serializeDeep(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(serializeDeep);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, serializeDeep(x)]));
  return v;
}
