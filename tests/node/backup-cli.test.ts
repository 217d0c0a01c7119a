import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { rowsOf, type Executor } from "../../db/client";
import * as schema from "../../db/schema";
import { seedDemo } from "../../db/seed";
import { createDatabase, dropDatabase, migrate } from "../../scripts/lib/database";
import { localAttachments } from "../../scripts/lib/local-files";
import { BACKUP_TABLES, quoteIdent, tableName } from "../../worker/services/backup/tables";

const adminUrl = inject("adminDatabaseUrl");
const stamp = `${process.pid}_${Date.now()}`;
const names = { source: `bespoke_bk_src_${stamp}`, target: `bespoke_bk_dst_${stamp}`, fresh: `bespoke_bk_boot_${stamp}` };
const urls: Record<keyof typeof names, string> = { source: "", target: "", fresh: "" };
const clients: pg.Client[] = [];
const out = mkdtempSync(path.join(tmpdir(), "bespoke-backup-"));
/** Local R2 state folders (as `npm start` keeps in .data/wrangler): the source app's, and a fresh one to restore into. */
const states = mkdtempSync(path.join(tmpdir(), "bespoke-backup-r2-"));
const sourceState = path.join(states, "source");
const targetState = path.join(states, "target");

async function withBucket<T>(state: string, use: (bucket: Awaited<ReturnType<typeof localAttachments>>["bucket"]) => Promise<T>): Promise<T> {
  const local = await localAttachments(state);
  try {
    return await use(local.bucket);
  } finally {
    await local.dispose();
  }
}
const tsx = path.resolve("node_modules/.bin/tsx");

function run(script: string, args: string[], env: Record<string, string>) {
  const r = spawnSync(tsx, [script, ...args], { encoding: "utf8", env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function connect(url: string): Promise<Executor> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  clients.push(client);
  return drizzle({ client, schema }) as unknown as Executor;
}

async function snapshot(db: Executor, workspaceId: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const t of BACKUP_TABLES) {
    const order = t.orderBy.map((c) => `x.${quoteIdent(c)}`).join(", ");
    const r = await db.execute(sql`select coalesce(json_agg(x order by ${sql.raw(order)})::text, '[]') as rows from (select * from ${sql.raw(quoteIdent(tableName(t.table)))} where ${t.scope(workspaceId)}) x`);
    result[tableName(t.table)] = rowsOf<{ rows: string }>(r)[0]!.rows;
  }
  return result;
}

beforeAll(async () => {
  for (const key of Object.keys(names) as (keyof typeof names)[]) {
    urls[key] = await createDatabase(adminUrl, names[key]);
    await migrate(urls[key]);
  }
});
afterAll(async () => {
  for (const c of clients) await c.end().catch(() => {});
  for (const n of Object.values(names)) await dropDatabase(adminUrl, n);
  rmSync(out, { recursive: true, force: true });
  rmSync(states, { recursive: true, force: true });
});

describe("npm run backup / npm run restore", () => {
  it("round-trips the demo workspace into an empty database with every record equal", async () => {
    const source = await connect(urls.source);
    await seedDemo(source, { environment: "development" });
    const [{ id }] = rowsOf<{ id: string }>(await source.execute(sql`select id from workspaces`)) as [{ id: string }];
    // Rows the demo does not make, so every backed-up table has data.
    const fileKey = `ws/${id}/account/${stamp}/${crypto.randomUUID()}`;
    const fileBytes = new Uint8Array(randomBytes(4242));
    await source.execute(sql`insert into attachments (workspace_id, r2_key, filename, content_type, size) values (${id}, ${fileKey}, 'deck.pdf', 'application/pdf', 4242)`);
    await withBucket(sourceState, async (bucket) => {
      await bucket.put(fileKey, fileBytes.slice().buffer, { httpMetadata: { contentType: "application/pdf" } });
    });
    await source.execute(sql`insert into api_keys (workspace_id, name, prefix, key_hash, role) values (${id}, 'CI', 'bk_ab', ${`h${stamp}`}, 'USER')`);
    await source.execute(sql`insert into webhook_endpoints (workspace_id, url, events, secret) values (${id}, 'https://h.example/x', array['account.created'], 's3cr3t')`);
    await source.execute(sql`insert into audit_log (workspace_id, action, entity_type, changes) values (${id}, 'settings.update', 'workspace', '{"name":{"from":"a","to":"b"}}')`);
    await source.execute(sql`insert into ai_usage (workspace_id, day, requests, input_tokens) values (${id}, '2026-11-01', 2, 900)`);
    await source.execute(sql`insert into custom_fields (workspace_id, entity, key, label, type, options) values (${id}, 'opportunity', 'tier', 'Tier', 'single_select', '[{"value":"a","label":"A","color":null}]')`);
    // Tables later features added: saved views and a default, forecast snapshots, automation rules, captured e-mail.
    await source.execute(sql`insert into saved_views (workspace_id, owner_id, entity, name) select ${id}, u.id, 'opportunities', 'Mine' from users u where u.workspace_id = ${id} limit 1`);
    await source.execute(sql`insert into saved_view_defaults (workspace_id, user_id, entity, view_id) select ${id}, v.owner_id, v.entity, v.id from saved_views v where v.workspace_id = ${id}`);
    await source.execute(sql`insert into forecast_snapshots (workspace_id, week, opportunity_id, stage_id, currency, probability) select ${id}, '2026-11-23', o.id, o.stage_id, o.currency, 50 from opportunities o where o.workspace_id = ${id} limit 2`);
    await source.execute(sql`insert into automations (workspace_id, name, trigger_type, trigger, actions) values (${id}, 'Follow up', 'stage_entered', '{"type":"stage_entered"}', '[]')`);
    await source.execute(sql`insert into email_messages (workspace_id, message_id, thread_id, direction, source, from_address, participants) values (${id}, 'm1@example.de', 't1@example.de', 'inbound', 'inbound', 'ana@example.de', '{"from":"ana@example.de","to":[],"cc":[]}')`);
    await source.execute(sql`insert into opportunity_contacts (opportunity_id, contact_id, role) select o.id, c.id, 'Sponsor' from opportunities o, contacts c where o.workspace_id = ${id} limit 3 on conflict do nothing`);

    const backup = run("scripts/backup.ts", ["--out", out, "--files", sourceState], { DATABASE_URL: urls.source });
    expect(backup.stderr).toBe("");
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(new RegExp(`backup: .*${id}.*\\.json\\.gz \\(\\d+ rows, .* KiB; 1 attachment files \\(1 copied, 0 already there\\)\\)`));
    expect(readdirSync(path.join(out, id)).filter((f) => f.endsWith(".json.gz"))).toHaveLength(1);
    expect(new Uint8Array(readFileSync(path.join(out, id, "files", fileKey)))).toEqual(fileBytes);

    // Into a fresh database and a fresh bucket: the file answers again, byte for byte.
    const restore = run("scripts/restore.ts", [out, "--files", targetState], { DATABASE_URL: urls.target });
    expect(restore.stderr).toBe("");
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/restore: \d+ rows into/);
    expect(restore.stdout).toContain(`restore: 1 attachment files into ${targetState}`);
    const restored = await withBucket(targetState, async (bucket) => {
      const object = await bucket.get(fileKey);
      return object && new Uint8Array(await object.arrayBuffer());
    });
    expect(restored).toEqual(fileBytes);

    const target = await connect(urls.target);
    const [before, after] = [await snapshot(source, id), await snapshot(target, id)];
    for (const t of BACKUP_TABLES) expect(JSON.parse(before[tableName(t.table)]!).length, tableName(t.table)).toBeGreaterThan(0);
    expect(after).toEqual(before);

    // Restored users can sign in: their password hashes came along.
    expect(after.users).toContain("pbkdf2-sha256$");
  });

  it("refuses a database that is not empty, changing nothing", async () => {
    const target = await connect(urls.target);
    const count = async () => rowsOf<{ n: number }>(await target.execute(sql`select count(*)::int as n from accounts`))[0]!.n;
    const before = await count();
    const again = run("scripts/restore.ts", [out, "--files", targetState], { DATABASE_URL: urls.target });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/restore: The target database is not empty \(1 workspace\)/);
    expect(again.stderr).not.toMatch(/\n\s+at /);
    expect(await count()).toBe(before);
  });

  it("explains its usage and refuses a file that is not a backup", () => {
    expect(run("scripts/restore.ts", [], { DATABASE_URL: urls.fresh }).stderr).toMatch(/usage: DATABASE_URL=/);
    const notBackup = run("scripts/restore.ts", ["package.json"], { DATABASE_URL: urls.fresh });
    expect(notBackup.code).toBe(1);
    expect(notBackup.stderr).toMatch(/package\.json is not a Bespoke CRM backup/);
  });
});

describe("npm run bootstrap", () => {
  const env = () => ({ DATABASE_URL: urls.fresh, BOOTSTRAP_ADMIN_EMAIL: "owner@acme.example", BOOTSTRAP_ADMIN_PASSWORD: "owner passphrase 2026", BOOTSTRAP_WORKSPACE_NAME: "Acme" });

  it("refuses a weak password with the policy's reason", () => {
    const r = run("scripts/bootstrap.ts", [], { ...env(), BOOTSTRAP_ADMIN_PASSWORD: "1234567890" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/BOOTSTRAP_ADMIN_PASSWORD is too common/);
  });

  it("creates the first workspace and admin once, then does nothing", async () => {
    const first = run("scripts/bootstrap.ts", [], env());
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/bootstrap: created workspace .* and ADMIN owner@acme\.example/);
    const second = run("scripts/bootstrap.ts", [], { ...env(), BOOTSTRAP_ADMIN_EMAIL: "other@acme.example" });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/already has a workspace: nothing to do/);
    const db = await connect(urls.fresh);
    const people = rowsOf<{ email: string; role: string }>(await db.execute(sql`select email, role from users`));
    expect(people).toEqual([{ email: "owner@acme.example", role: "ADMIN" }]);
    expect(rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from pipeline_stages`))[0]!.n).toBe(6);
    // bespoke.config.ts applied: stage keys and the reason codes (CUSTOMIZING.md).
    expect(rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from pipeline_stages where key is not null`))[0]!.n).toBe(6);
    expect(rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from reason_codes where source = 'config'`))[0]!.n).toBe(15);
    expect(second.stdout).toMatch(/configuration applied to 1 workspace\(s\): already up to date/);
    expect(rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from accounts`))[0]!.n).toBe(0);
  });

  it("stops a deploy on a bad configuration file, listing every problem", () => {
    const r = run("scripts/bootstrap.ts", [], { ...env(), BESPOKE_CONFIG: "tests/fixtures/bad-config" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bootstrap: tests\/fixtures\/bad-config\/bespoke\.config\.ts is invalid \(3 problems\)/);
    expect(r.stderr).toContain("pipelines[0].stages[0].probability must be between 0 and 100");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("skips quietly when the variables are not set", () => {
    const r = run("scripts/bootstrap.ts", [], { DATABASE_URL: urls.fresh, BOOTSTRAP_ADMIN_EMAIL: "", BOOTSTRAP_ADMIN_PASSWORD: "" });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/skipped/);
  });
});
