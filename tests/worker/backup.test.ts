import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { is } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { rowsOf, createDatabase, type Database } from "../../db/client";
import * as schema from "../../db/schema";
import { createDefaultPipeline } from "../../db/seed";
import worker from "../../worker/index";
import { gunzipText } from "../../worker/services/backup/gzip";
import { parseBackup, RestoreError, restoreBackups } from "../../worker/services/backup/restore";
import { BACKUP_TABLES, NOT_BACKED_UP, quoteIdent, tableName } from "../../worker/services/backup/tables";
import { filesOfBackup, restoreFiles } from "../../worker/services/backup/files";
import { backupPrefix, bucketArchive } from "../../worker/storage/backups";
import { BASE, sessionToken } from "../helpers/worker";
import "../helpers/production";

const {
  workspaces, users, pipelineStages, accounts, contacts, leads, opportunities, opportunityContacts, activities,
  attachments, auditLog, apiKeys, webhookEndpoints, aiUsage, customFields, reasonCodes, emailMessages,
} = schema;

let source: Database;
let target: Database;
const ids: string[] = [];
/** The bytes stored in ATTACHMENTS for each attachment row of the source workspaces. */
const fileBytes = new Map<string, Uint8Array>();

/** One workspace with a row in every backed-up table, using the values that break naive JSON round trips. */
async function populate(db: Database, name: string): Promise<string> {
  return db.transaction(async (tx) => {
    const [ws] = await tx.insert(workspaces).values({ name, slug: `${name}-${crypto.randomUUID()}`, settings: { brand: { accent: "#123456" }, emoji: "🚀" } }).returning();
    const w = ws!.id;
    const [admin] = await tx.insert(users).values({ workspaceId: w, email: `admin-${crypto.randomUUID()}@example.test`, name: "Zoë Ådmin", role: "ADMIN", passwordHash: "pbkdf2-sha256$1000$c2FsdA==$aGFzaA==" }).returning();
    const stages = await createDefaultPipeline(tx, w);
    await tx.insert(customFields).values({ workspaceId: w, entity: "account", key: "segment", label: "Ségment", type: "single_select", options: [{ value: "smb", label: "SMB", color: "#0ea5e9" }], filterable: true });
    await tx.insert(reasonCodes).values({ workspaceId: w, kind: "lost", value: "price_too_high", label: "Price “too high”" });
    const [acct] = await tx.insert(accounts).values({ workspaceId: w, name: "Ünïcode “GmbH”", domain: "example.de", annualRevenue: 9_007_199_254_740_991, currency: "EUR", employees: 12, ownerId: admin!.id, description: "line1\nline2\t\"quoted\"", custom: { segment: "smb", nested: [1, 2.5, null] } }).returning();
    await tx.insert(accounts).values({ workspaceId: w, name: "Deleted Ltd", deletedAt: new Date() });
    const [contact] = await tx.insert(contacts).values({ workspaceId: w, accountId: acct!.id, firstName: "Ana", lastName: "Núñez", email: "ana@example.de" }).returning();
    const [lead] = await tx.insert(leads).values({ workspaceId: w, firstName: "Lee", company: "Lead Co", status: "qualified", convertedAccountId: acct!.id }).returning();
    await tx.insert(emailMessages).values({ workspaceId: w, messageId: `m-${crypto.randomUUID()}@example.de`, threadId: "t@example.de", direction: "inbound", source: "inbound", fromAddress: "ana@example.de", participants: { from: "ana@example.de", to: ["rep@example.test"], cc: [] }, subject: "Grüße", targets: [{ contactId: contact!.id }] });
    const [opp] = await tx.insert(opportunities).values({ workspaceId: w, name: "Big deal", accountId: acct!.id, primaryContactId: contact!.id, stageId: stages[2]!.id, amount: 12_345_678, currency: "EUR", probability: 55, closeDate: "2026-12-31", position: 0.1 + 0.2 }).returning();
    await tx.insert(opportunityContacts).values({ opportunityId: opp!.id, contactId: contact!.id, role: "Champion" });
    await tx.insert(activities).values({ workspaceId: w, type: "stage_change", subject: "Moved", properties: { from: stages[1]!.id, to: stages[2]!.id, nested: { list: [1, 2.5, null, "x"] } }, actorId: admin!.id, opportunityId: opp!.id, leadId: lead!.id });
    await tx.insert(attachments).values({ workspaceId: w, r2Key: `ws/${w}/${crypto.randomUUID()}`, filename: "contract (final).pdf", contentType: "application/pdf", size: 123_456, uploadedBy: admin!.id, accountId: acct!.id });
    await tx.insert(auditLog).values({ workspaceId: w, actorId: admin!.id, action: "update", entityType: "account", entityId: acct!.id, changes: { name: { from: "Old", to: "Ünïcode “GmbH”" } }, requestId: "req-1" });
    await tx.insert(apiKeys).values({ workspaceId: w, name: "Zapier", prefix: "bk_live_ab", keyHash: crypto.randomUUID(), role: "USER", createdBy: admin!.id });
    await tx.insert(webhookEndpoints).values({ workspaceId: w, url: "https://hooks.example.com/x", events: ["opportunity.stage_changed", "account.created"], secret: "whsec_123", createdBy: admin!.id });
    await tx.insert(aiUsage).values({ workspaceId: w, day: "2026-11-23", requests: 3, inputTokens: 1200, outputTokens: 300, costMicros: 4567 });
    // The tables later features added: saved views (and a user's default), forecast snapshots, automation rules.
    const [view] = await tx.insert(schema.savedViews).values({ workspaceId: w, ownerId: admin!.id, entity: "opportunities", name: "Mine “big”" }).returning();
    await tx.insert(schema.savedViewDefaults).values({ workspaceId: w, userId: admin!.id, entity: "opportunities", viewId: view!.id });
    await tx.insert(schema.forecastSnapshots).values({ workspaceId: w, week: "2026-11-23", opportunityId: opp!.id, stageId: stages[2]!.id, currency: "EUR", probability: 55, amount: 12_345_678 });
    await tx.insert(schema.automations).values({ workspaceId: w, name: "Follow up", triggerType: "stage_entered", trigger: { type: "stage_entered" }, actions: [{ type: "create_task" }] });
    // Microseconds, which a JavaScript Date cannot carry.
    await tx.execute(sql`update accounts set created_at = created_at + interval '123 microseconds' where workspace_id = ${w}`);
    return w;
  });
}

/** Every backed-up table's rows of a workspace, exactly as Postgres renders them (all columns, generated ones too). */
async function snapshot(db: Database, workspaceId: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of BACKUP_TABLES) {
    const order = t.orderBy.map((c) => `x.${quoteIdent(c)}`).join(", ");
    const result = await db.http.execute(sql`select coalesce(json_agg(x order by ${sql.raw(order)})::text, '[]') as rows from (select * from ${sql.raw(quoteIdent(tableName(t.table)))} where ${t.scope(workspaceId)}) x`);
    out[tableName(t.table)] = rowsOf<{ rows: string }>(result)[0]!.rows;
  }
  return out;
}

async function runCron(at: string) {
  const ctx = createExecutionContext();
  const controller = createScheduledController({ scheduledTime: new Date(at).getTime(), cron: "0 3 * * *" });
  await worker.scheduled(controller, { ...env, DATABASE_URL: inject("backupSourceDatabaseUrl"), BACKUP_KEEP: "2" }, ctx);
  await waitOnExecutionContext(ctx);
}

beforeAll(async () => {
  source = createDatabase(inject("backupSourceDatabaseUrl"), env.NEON_LOCAL_PROXY);
  target = createDatabase(inject("backupTargetDatabaseUrl"), env.NEON_LOCAL_PROXY);
  ids.push(await populate(source, "alpha"), await populate(source, "beta"));
  // The files behind the attachment rows: binary, every byte value.
  for (const { r2_key: key } of rowsOf<{ r2_key: string }>(await source.http.execute(sql`select r2_key from attachments`))) {
    const bytes = crypto.getRandomValues(new Uint8Array(60_000));
    await env.ATTACHMENTS.put(key, bytes, { httpMetadata: { contentType: "application/pdf" } });
    fileBytes.set(key, bytes);
  }
});

describe("scheduled backups", () => {
  it("writes every workspace to R2 as gzip JSON and keeps the newest BACKUP_KEEP", async () => {
    await runCron("2026-11-21T03:00:00Z");
    await runCron("2026-11-22T03:00:00Z");
    await runCron("2026-11-23T03:00:00Z");
    for (const id of ids) {
      const listed = await env.BACKUPS.list({ prefix: backupPrefix(id), delimiter: "/" });
      expect(listed.objects.map((o) => o.key).filter((k) => k.endsWith(".json.gz")).sort()).toEqual([
        `backups/${id}/2026-11-22T03-00-00-000Z.json.gz`,
        `backups/${id}/2026-11-23T03-00-00-000Z.json.gz`,
      ]);
    }
    const object = await env.BACKUPS.get(`backups/${ids[0]}/2026-11-23T03-00-00-000Z.json.gz`);
    const bytes = new Uint8Array(await object!.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    const doc = parseBackup(await gunzipText(bytes));
    expect(doc).toMatchObject({ format: "bespoke-crm-backup", version: 1, workspaceId: ids[0], createdAt: "2026-11-23T03:00:00.000Z" });
    // Only this workspace's rows.
    expect(doc.tables.workspaces!.map((w) => w.id)).toEqual([ids[0]]);
    expect(doc.tables.accounts).toHaveLength(2);
    expect(JSON.stringify(doc.tables)).not.toContain(ids[1]);
  });

  it("restores into an empty database with every record equal, ids kept", async () => {
    const object = await env.BACKUPS.get(`backups/${ids[0]}/2026-11-23T03-00-00-000Z.json.gz`);
    const doc = parseBackup(await gunzipText(new Uint8Array(await object!.arrayBuffer())));
    const { rows } = await target.transaction((tx) => restoreBackups(tx, [doc]));
    expect(rows.accounts).toBe(2);
    const [before, after] = [await snapshot(source, ids[0]!), await snapshot(target, ids[0]!)];
    for (const t of BACKUP_TABLES) expect(JSON.parse(before[tableName(t.table)]!).length, tableName(t.table)).toBeGreaterThan(0);
    expect(after).toEqual(before);
    // Byte-level: microsecond timestamps, big integers, floats and jsonb survived.
    expect(after.accounts).toContain("9007199254740991");
    expect(after.accounts).toMatch(/\.\d{6}\+00:00/);
    // Search's typo dictionary is not in the file (NOT_BACKED_UP): the restore's inserts rebuilt it, word for word.
    const words = async (db: Database) =>
      rowsOf<{ w: string }>(await db.http.execute(sql`select coalesce(string_agg(entity || ':' || word, ' ' order by entity, word), '') as w from search_words where workspace_id = ${ids[0]}`))[0]!.w;
    expect(await words(target)).toBe(await words(source));
    expect(await words(target)).toContain("contact:núñez");
  });

  it("backs up the attachment files too: a restore into an emptied bucket serves the same bytes", async () => {
    const id = ids[0]!;
    const object = await env.BACKUPS.get(`backups/${id}/2026-11-23T03-00-00-000Z.json.gz`);
    const doc = parseBackup(await gunzipText(new Uint8Array(await object!.arrayBuffer())));
    const files = filesOfBackup(doc.tables);
    expect(files).toHaveLength(1);
    // The live bucket loses everything (a new account, a deleted bucket): the backup bucket alone brings it back.
    for (const f of files) await env.ATTACHMENTS.delete(f.key);
    expect(await env.ATTACHMENTS.get(files[0]!.key)).toBeNull();
    const { restored, missing } = await restoreFiles(bucketArchive(env.BACKUPS, id), env.ATTACHMENTS, files);
    expect({ restored, missing }).toEqual({ restored: 1, missing: [] });

    // Downloaded through the Worker from the restored database (restored in the test above), as a user would.
    const [admin] = rowsOf<{ id: string; token_version: number }>(await target.http.execute(sql`select id, token_version from users where workspace_id = ${id}`));
    const [attachment] = rowsOf<{ id: string; r2_key: string }>(await target.http.execute(sql`select id, r2_key from attachments where workspace_id = ${id}`));
    const restoredEnv = { ...env, DATABASE_URL: inject("backupTargetDatabaseUrl") };
    const token = await sessionToken(target.http, { id: admin!.id, workspaceId: id, role: "ADMIN", tokenVersion: admin!.token_version });
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request(`${BASE}/api/attachments/${attachment!.id}/download`, { headers: { Authorization: `Bearer ${token}` } }), restoredEnv, ctx);
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(fileBytes.get(attachment!.r2_key));
    await waitOnExecutionContext(ctx);
  });

  it("refuses to restore into a database that already has a workspace, writing nothing", async () => {
    const object = await env.BACKUPS.get(`backups/${ids[1]}/2026-11-23T03-00-00-000Z.json.gz`);
    const doc = parseBackup(await gunzipText(new Uint8Array(await object!.arrayBuffer())));
    const err = await target.transaction((tx) => restoreBackups(tx, [doc])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RestoreError);
    expect((err as Error).message).toMatch(/not empty \(1 workspace\)/);
    const count = rowsOf<{ n: number }>(await target.http.execute(sql`select count(*)::int as n from workspaces where id = ${ids[1]}`))[0]!.n;
    expect(count).toBe(0);
  });

  it("rejects a file that is not a backup with a clear message", () => {
    expect(() => parseBackup("{}", "x.json")).toThrow(/x\.json is not a Bespoke CRM backup/);
    expect(() => parseBackup("\u001f\u008b…", "y.json")).toThrow(/not JSON/);
  });

  it("covers every table: each one is backed up or deliberately left out", () => {
    const all = Object.values(schema).filter((v) => is(v, PgTable)).map((t) => tableName(t as PgTable));
    const decided = new Set([...BACKUP_TABLES.map((t) => tableName(t.table)), ...Object.keys(NOT_BACKED_UP)]);
    expect(all.filter((n) => !decided.has(n))).toEqual([]);
  });
  it("copies each file once and drops it when no kept backup lists it any more", async () => {
    const id = ids[1]!;
    const [{ r2_key: key }] = rowsOf<{ r2_key: string }>(await source.http.execute(sql`select r2_key from attachments where workspace_id = ${id}`)) as [{ r2_key: string }];
    const archived = `backups/${id}/files/${key}`;
    const before = await env.BACKUPS.head(archived);
    expect(before).not.toBeNull();
    await runCron("2026-11-24T03:00:00Z");
    // Not copied again: the same object as before.
    expect((await env.BACKUPS.head(archived))!.etag).toBe(before!.etag);
    await source.http.execute(sql`delete from attachments where workspace_id = ${id}`);
    await runCron("2026-11-25T03:00:00Z");
    expect(await env.BACKUPS.head(archived)).not.toBeNull(); // the 24th still lists it
    await runCron("2026-11-26T03:00:00Z");
    expect(await env.BACKUPS.head(archived)).toBeNull();
  });
});
