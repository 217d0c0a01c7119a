/**
 * Benchmark: CSV import and export of 10,000 rows in one request each, through the built Worker in workerd
 * (Miniflare, as scripts/bench/run.ts does), on a fresh database of the local PostgreSQL.
 *
 *   tsx scripts/bench/import.ts [--rows 10000] [--skipBuild]
 *
 * Prints per scenario the wall time of the request and the CPU time workerd spent on it (read from /proc before
 * and after: the whole runtime's user+system time, so it includes the Neon driver and the HTTP handling a
 * deployed Worker is also billed for; 10 ms resolution). The floor is the database's share: the same rows
 * written by `pg` on one open connection with the same batched INSERT … SELECT FROM json_to_recordset.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import pg from "pg";
import { DEFAULT_STAGES } from "../../db/seed";
import { hashPassword } from "../../worker/lib/password";
import { createDatabase, dropDatabase, migrate } from "../lib/database";
import { startNeonStandin } from "../lib/neon-standin";

const { values: args } = parseArgs({ options: { rows: { type: "string", default: "10000" }, skipBuild: { type: "boolean", default: false } } });
const ROWS = Number(args.rows);
const adminUrl = process.env.BENCH_ADMIN_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const outdir = ".wrangler/bench-import";

if (!args.skipBuild) {
  execFileSync("wrangler", ["deploy", "--dry-run", "--outdir", outdir], { stdio: "inherit", env: { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_LOG: "error" } });
}

const dbName = `bespoke_bench_import_${process.pid}`;
const dbUrl = await createDatabase(adminUrl, dbName);
await migrate(dbUrl);
const floor = new pg.Client({ connectionString: dbUrl });
await floor.connect();

const password = "benchmark-password-1";
const ws = (await floor.query(`insert into workspaces (name, slug) values ('Bench', 'bench-import') returning id`)).rows[0].id as string;
const pipelineId = (await floor.query("insert into pipelines (workspace_id, key, name, is_default) values ($1, 'sales', 'Sales', true) returning id", [ws])).rows[0].id as string;
for (const [i, s] of DEFAULT_STAGES.entries()) {
  await floor.query("insert into pipeline_stages (workspace_id, pipeline_id, name, position, probability, kind) values ($1,$2,$3,$4,$5,$6)", [ws, pipelineId, s.name, i, s.probability, s.kind]);
}
await floor.query(`insert into users (workspace_id, email, name, role, password_hash) values ($1, 'admin@bench-import.test', 'Bench Admin', 'ADMIN', $2)`, [ws, await hashPassword(password)]);

const standin = await startNeonStandin();
const mf = new Miniflare(convertV4MiniflareOptions({
  modules: true,
  scriptPath: `${outdir}/index.js`,
  compatibilityDate: "2026-08-01",
  compatibilityFlags: ["nodejs_compat"],
  bindings: { ENVIRONMENT: "development", DATABASE_URL: dbUrl, NEON_LOCAL_PROXY: `127.0.0.1:${standin.port}`, JWT_SECRET: "benchmark-secret-benchmark-secret-benchmark" },
  r2Buckets: ["ATTACHMENTS", "BACKUPS"],
  durableObjects: { RATE_LIMITER: { className: "RateLimiter", useSQLite: true } },
  queueProducers: { AI_QUEUE: { queueName: "bespoke-crm-ai" }, WEBHOOK_QUEUE: { queueName: "bespoke-crm-webhooks" } },
}));
const base = (await mf.ready).toString().replace(/\/$/, "");
const login = await fetch(`${base}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "admin@bench-import.test", password }) });
if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
const auth = { authorization: `Bearer ${((await login.json()) as { token: string }).token}` };

/** CPU seconds used so far by every workerd process this script started (Miniflare's children). */
const ticks = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
function workerdCpuMs(): number {
  let total = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (!comm.startsWith("workerd") || !isDescendant(Number(pid))) continue;
      total += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      /* the process ended */
    }
  }
  return (total * 1000) / ticks;
}
function isDescendant(pid: number): boolean {
  for (let p = pid, depth = 0; p > 1 && depth < 10; depth++) {
    if (p === process.pid) return true;
    const stat = readFileSync(`/proc/${p}/stat`, "utf8");
    p = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  }
  return false;
}

// ---- the files: realistic spreadsheets (quotes, commas, relations by name, major amounts, US dates) ----
const contactsCsv = ["Id,First name,Last name,E-mail,Job title,Company,Owner"];
for (let i = 0; i < ROWS; i++) {
  contactsCsv.push(`c-${i},First${i},"Last, ${i}",person${i}@bench.example,${i % 7 ? "Engineer" : '"VP, ""Sales"""'},Account ${i % 200},admin@bench-import.test`);
}
const dealsCsv = ["Ref,Deal,Company,Stage,Value,Currency,Close"];
const stages = ["Prospecting", "Qualified", "Proposal", "Won", "Lost"];
for (let i = 0; i < ROWS; i++) {
  dealsCsv.push(`d-${i},Deal ${i},Account ${i % 200},${stages[i % 5]},"${(1000 + i).toLocaleString("en-US")}.${String(i % 100).padStart(2, "0")}",USD,${(i % 12) + 1}/${(i % 28) + 1}/2027`);
}
const contactsMapping = { Id: "externalId", "First name": "firstName", "Last name": "lastName", "E-mail": "email", "Job title": "title", Company: "accountName", Owner: "ownerEmail" };
const dealsMapping = { Ref: "externalId", Deal: "name", Company: "accountName", Stage: "stageName", Value: "amount", Currency: "currency", Close: "closeDate" };
const dealsOptions = { createMissingAccounts: true, amountUnit: "major", dateFormat: "M/D/YYYY", valueMap: { stageName: { Qualified: "Qualification", Won: "Closed Won", Lost: "Closed Lost" } } };

async function importFile(entity: string, csv: string[], mapping: object, options: object) {
  const form = new FormData();
  form.append("file", new Blob([csv.join("\r\n")], { type: "text/csv" }), `${entity}.csv`);
  form.append("mapping", JSON.stringify(mapping));
  form.append("options", JSON.stringify(options));
  const res = await fetch(`${base}/api/import/${entity}`, { method: "POST", headers: auth, body: form });
  const body = (await res.json()) as { created: number; updated: number; unchanged: number; skipped: number; accountsCreated: number };
  if (!res.ok || body.skipped) throw new Error(`${entity}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 500)}`);
  return `${body.created} created, ${body.updated} updated, ${body.unchanged} unchanged${body.accountsCreated ? `, ${body.accountsCreated} accounts created` : ""}`;
}
async function exportFile(entity: string) {
  const res = await fetch(`${base}/api/export/${entity}.csv`, { headers: auth });
  const text = await res.text();
  return `${text.split("\r\n").length - 2} rows, ${(text.length / 1024).toFixed(0)} KiB`;
}

const results: string[][] = [];
async function measure(name: string, fn: () => Promise<string>) {
  const cpu0 = workerdCpuMs();
  const t = performance.now();
  const outcome = await fn();
  const wall = performance.now() - t;
  await new Promise((r) => setTimeout(r, 200)); // let workerd finish waitUntil work before reading its CPU
  results.push([name, wall.toFixed(0), (workerdCpuMs() - cpu0).toFixed(0), outcome]);
  console.log(`  done: ${name}`);
}

// Warm-up: the first request compiles the bundle.
await fetch(`${base}/api/health`);
const fileKiB = (s: string[]) => (s.join("\r\n").length / 1024).toFixed(0);
console.log(`\n${ROWS} rows per file (contacts ${fileKiB(contactsCsv)} KiB, deals ${fileKiB(dealsCsv)} KiB); built Worker in workerd (Miniflare) → Neon stand-in → PostgreSQL\n`);
await measure("deals: import, creates 200 accounts", () => importFile("opportunities", dealsCsv, dealsMapping, dealsOptions));
await measure("contacts: dry run (writes nothing)", () => importFile("contacts", contactsCsv, contactsMapping, { dryRun: true }));
await measure("contacts: import (create)", () => importFile("contacts", contactsCsv, contactsMapping, {}));
await measure("contacts: same file again (unchanged)", () => importFile("contacts", contactsCsv, contactsMapping, {}));
await measure("deals: same file again (unchanged)", () => importFile("opportunities", dealsCsv, dealsMapping, dealsOptions));
await measure("contacts: export", () => exportFile("contacts"));
await measure("deals: export", () => exportFile("opportunities"));

// Floor: the same contacts written by pg on one open connection, 500 rows per statement, one transaction.
const accountIds = new Map((await floor.query(`select name, id from accounts where workspace_id = $1`, [ws])).rows.map((r) => [r.name, r.id]));
const owner = (await floor.query(`select id from users where workspace_id = $1`, [ws])).rows[0].id;
// Into the real table (same indexes and generated search columns), rolled back afterwards.
const records = Array.from({ length: ROWS }, (_, i) => ({
  external_id: `c-${i}`, first_name: `First${i}`, last_name: `Last, ${i}`, email: `person${i}@bench.example`, title: i % 7 ? "Engineer" : 'VP, "Sales"',
  account_id: accountIds.get(`Account ${i % 200}`), owner_id: owner,
}));
const t = performance.now();
await floor.query("begin");
for (let i = 0; i < records.length; i += 500) {
  await floor.query(
    `insert into contacts (workspace_id, external_id, first_name, last_name, email, title, account_id, owner_id)
     select $1, s.external_id || '-floor', s.first_name, s.last_name, s.email, s.title, s.account_id, s.owner_id
     from json_to_recordset($2::json) as s(external_id text, first_name text, last_name text, email text, title text, account_id uuid, owner_id uuid)`,
    [ws, JSON.stringify(records.slice(i, i + 500))],
  );
}
await floor.query("rollback");
results.push(["floor: pg inserts the same contacts (no parsing, checks, lookups or upsert)", (performance.now() - t).toFixed(0), "-", `${ROWS} rows`]);

const header = ["scenario", "wall ms", "workerd CPU ms", "outcome"];
const widths = header.map((h, i) => Math.max(h.length, ...results.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
console.log(`\n${line(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
for (const r of results) console.log(line(r));
console.log("\nWorkers limits for comparison: 30 s CPU per request by default on the paid plan (configurable to 5 min), 128 MB memory.");

await floor.end();
await mf.dispose();
await standin.close();
await dropDatabase(adminUrl, dbName);
