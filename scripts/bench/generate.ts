/**
 * Generates a benchmark-scale workspace: 50,000 accounts, 1,000,000 contacts, 200,000 opportunities, 5,000,000
 * activities (defaults; override with --accounts= --contacts= --opportunities= --activities=), with skewed,
 * realistic distributions, inside Postgres (generate_series) so it takes minutes, not hours.
 *
 *   tsx scripts/bench/generate.ts --db bespoke_bench            # on 127.0.0.1:5432 (created if missing)
 *   BENCH_ADMIN_URL=postgres://… tsx scripts/bench/generate.ts
 *
 * Deterministic: the same counts give the same data (setseed). Re-running drops and recreates the database.
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { createDatabase, migrate } from "../lib/database";
import { DEFAULT_STAGES, DEMO_PASSWORD } from "../../db/seed";
import { hashPassword } from "../../worker/lib/password";

const { values: args } = parseArgs({
  options: {
    db: { type: "string", default: "bespoke_bench" },
    accounts: { type: "string", default: "50000" },
    contacts: { type: "string", default: "1000000" },
    opportunities: { type: "string", default: "200000" },
    activities: { type: "string", default: "5000000" },
    users: { type: "string", default: "40" },
  },
});
const N = {
  accounts: Number(args.accounts),
  contacts: Number(args.contacts),
  opportunities: Number(args.opportunities),
  activities: Number(args.activities),
  users: Number(args.users),
};
const adminUrl = process.env.BENCH_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const t0 = Date.now();
const log = (m: string) => console.log(`[+${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

const url = await createDatabase(adminUrl, args.db!);
log(`database ${args.db} created`);
await migrate(url);
log("migrated");
const client = new pg.Client({ connectionString: url });
await client.connect();
const q = async (label: string, text: string, params: unknown[] = []) => {
  const s = Date.now();
  const r = await client.query(text, params);
  log(`${label}: ${r.rowCount ?? 0} rows in ${((Date.now() - s) / 1000).toFixed(1)}s`);
  return r;
};

await client.query("select setseed(0.42)");
await client.query("set maintenance_work_mem = '512MB'");
await client.query("set synchronous_commit = off");
const ws = (await client.query("insert into workspaces (name, slug) values ('Bench Corp', 'bench') returning id")).rows[0].id as string;
const hash = await hashPassword(DEMO_PASSWORD);
await q(
  "users",
  `insert into users (workspace_id, email, name, role, password_hash)
   select $1, case when g = 1 then 'admin@bench.test' else 'rep' || g || '@bench.test' end,
          'Rep ' || g, case when g = 1 then 'ADMIN'::user_role else 'USER'::user_role end, $2
   from generate_series(1, $3) g`,
  [ws, hash, N.users],
);
const pipelineId = (await client.query("insert into pipelines (workspace_id, key, name, is_default) values ($1, 'sales', 'Sales', true) returning id", [ws])).rows[0].id as string;
for (const [i, s] of DEFAULT_STAGES.entries()) {
  await client.query("insert into pipeline_stages (workspace_id, pipeline_id, name, position, probability, kind) values ($1,$2,$3,$4,$5,$6)", [ws, pipelineId, s.name, i, s.probability, s.kind]);
}

// Lookup arrays: users and stages by ordinal, so generated rows can reference them without joins.
await client.query(`create temp table u as select row_number() over (order by email) as n, id from users where workspace_id = '${ws}'`);
await client.query(`create temp table st as select row_number() over (order by position) as n, id, kind from pipeline_stages where workspace_id = '${ws}'`);

const words = `array['Acme','Globex','Initech','Umbrella','Stark','Wayne','Hooli','Vandelay','Soylent','Tyrell','Cyberdyne','Pied','Gringotts','Oceanic','Monarch','Aperture','Massive','Wonka','Northwind','Contoso','Fabrikam','Tailspin','Litware','Proseware','Adatum','Lucerne','Margie','Wingtip','Blue Yonder','Alpine']`;
const suffixes = `array['Labs','Systems','Group','Holdings','Foods','Logistics','Health','Energy','Capital','Media','Robotics','Analytics','Retail','Partners','Industries']`;
const firsts = `array['Alice','Ben','Chloe','Diego','Emma','Farid','Grace','Hiro','Isla','Jonas','Kira','Liam','Maya','Noah','Olga','Priya','Quinn','Rosa','Sven','Tara','Uma','Victor','Wen','Yara','Zoe','Omar','Lena','Pablo','Mei','Ravi']`;
const lasts = `array['Schmidt','Okafor','Martin','Silva','Nguyen','Haddad','Kowalski','Tanaka','Moreau','Berg','Rossi','Patel','Cohen','Larsen','Fischer','Garcia','Dubois','Ivanova','Kim','Smith','Jones','Brown','Muller','Novak','Costa']`;

await q(
  "accounts",
  `insert into accounts (workspace_id, name, domain, industry, phone, employees, owner_id, created_at, updated_at)
   select $1,
          (${words})[1 + (g % 30)] || ' ' || (${suffixes})[1 + ((g / 30) % 15)] || ' ' || g,
          lower((${words})[1 + (g % 30)]) || g || '.example',
          (array['Software','Healthcare','Retail','Manufacturing','Finance','Logistics','Energy','Media'])[1 + (g % 8)],
          '+1 555 ' || lpad((g % 10000000)::text, 7, '0'),
          (10 + (random() * 5000))::int,
          (select array_agg(id order by n) from u)[1 + (g % $2)],
          now() - (random() * interval '900 days'),
          now() - (random() * interval '90 days')
   from generate_series(1, $3) g`,
  [ws, N.users, N.accounts],
);
await client.query(`create temp table acc as select row_number() over (order by id) as n, id from accounts where workspace_id = '${ws}'`);
await client.query("create index on acc (n)");

// Contacts: skewed over accounts (a few big accounts hold many people): account ordinal ~ N * r^2.
await q(
  "contacts",
  `insert into contacts (workspace_id, account_id, first_name, last_name, email, phone, title, owner_id, created_at, updated_at)
   select $1, a.id, f, l, lower(f || '.' || l || g) || '@mail' || (g % 997) || '.example',
          '+44 20 ' || lpad((g % 100000000)::text, 8, '0'),
          (array['VP Sales','CTO','CFO','Head of Ops','Buyer','Engineer','Analyst','CEO'])[1 + (g % 8)],
          (select array_agg(id order by n) from u)[1 + (g % $2)],
          now() - (random() * interval '900 days'),
          now() - (random() * interval '120 days')
   from (select g, (${firsts})[1 + (g % 30)] as f, (${lasts})[1 + ((g / 7) % 25)] as l,
                1 + floor($4::float8 * power(random(), 2))::int as an
         from generate_series(1, $3) g) x
   join acc a on a.n = least(x.an, $4)`,
  [ws, N.users, N.contacts, N.accounts],
);

// Deals: most open, stages weighted toward early ones; amounts log-normal-ish; 85 % USD.
await q(
  "opportunities",
  `insert into opportunities (workspace_id, name, account_id, owner_id, stage_id, amount, currency, probability, close_date, closed_at,
                              position, stage_entered_at, version, created_at, updated_at)
   select $1, 'Deal ' || g || ' — ' || (array['Licence','Expansion','Pilot','Renewal','Add-on','Rollout'])[1 + (g % 6)],
          a.id, (select array_agg(id order by n) from u)[1 + (g % $2)], s.id,
          (exp(7 + random() * 6))::bigint * 100,
          case when g % 20 < 17 then 'USD' when g % 20 < 19 then 'EUR' else 'GBP' end,
          case when g % 11 = 0 then (10 + (g % 9) * 10) end,
          (current_date + ((random() * 300) - 60)::int),
          case when s.kind <> 'open' then now() - random() * interval '200 days' end,
          g * 1024, now() - random() * interval '120 days', 1,
          now() - random() * interval '700 days', now() - random() * interval '60 days'
   from (select g, 1 + floor($4::float8 * random())::int as an,
                case when r < 0.30 then 1 when r < 0.52 then 2 when r < 0.68 then 3 when r < 0.78 then 4 when r < 0.90 then 5 else 6 end as sn
         from (select g, random() as r from generate_series(1, $3) g) z) x
   join acc a on a.n = least(x.an, $4)
   join st s on s.n = x.sn`,
  [ws, N.users, N.opportunities, N.accounts],
);
await client.query(`create temp table opp as select row_number() over (order by id) as n, id, account_id from opportunities where workspace_id = '${ws}'`);
await client.query("create index on opp (n)");
await client.query(`create temp table con as select row_number() over (order by id) as n, id, account_id from contacts where workspace_id = '${ws}'`);
await client.query("create index on con (n)");

// Activities: 70 % on deals (skewed: hot deals collect many), 30 % on contacts; a mix of types.
const onDeals = Math.round(N.activities * 0.7);
await q(
  "activities on deals",
  `insert into activities (workspace_id, type, subject, body, properties, actor_id, account_id, opportunity_id, happened_at, due_at, completed_at, owner_id)
   select $1, t, initcap(t) || ' #' || g, 'Generated ' || t || ' about the deal; next step discussed.',
          case when t in ('call','email') then jsonb_build_object('direction', case when g % 3 = 0 then 'inbound' else 'outbound' end) else '{}'::jsonb end,
          (select array_agg(id order by n) from u)[1 + (g % $2)], o.account_id, o.id,
          now() - random() * interval '700 days',
          case when t = 'task' then now() + (random() * 40 - 20) * interval '1 day' end,
          case when t = 'task' and g % 3 <> 0 then now() - random() * interval '10 days' end,
          case when t = 'task' then (select array_agg(id order by n) from u)[1 + (g % $2)] end
   from (select g, (array['note','call','email','meeting','task','stage_change','email','call'])[1 + (g % 8)] as t,
                1 + floor($4::float8 * power(random(), 1.6))::int as onum
         from generate_series(1, $3) g) x
   join opp o on o.n = least(x.onum, $4)`,
  [ws, N.users, onDeals, N.opportunities],
);
await q(
  "activities on contacts",
  `insert into activities (workspace_id, type, subject, body, actor_id, account_id, contact_id, happened_at)
   select $1, t, initcap(t) || ' with contact #' || g, 'Generated ' || t || ' with the contact.',
          (select array_agg(id order by n) from u)[1 + (g % $2)], c.account_id, c.id, now() - random() * interval '700 days'
   from (select g, (array['note','call','email','meeting'])[1 + (g % 4)] as t, 1 + floor($4::float8 * random())::int as cn
         from generate_series(1, $3) g) x
   join con c on c.n = least(x.cn, $4)`,
  [ws, N.users, N.activities - onDeals, N.contacts],
);
// VACUUM as well as ANALYZE: freshly bulk-loaded pages are not yet all-visible, so without it index-only scans fall
// back to the heap and the first benchmark run (and every EXPLAIN check) measures a database no deployment has.
await q("vacuum analyze", "vacuum analyze");
const size = (await client.query("select pg_size_pretty(pg_database_size(current_database())) as s")).rows[0].s;
await client.end();
log(`done: workspace ${ws}, database ${args.db} is ${size}; sign in as admin@bench.test / ${DEMO_PASSWORD}`);
console.log(`BENCH_DATABASE_URL=${url}`);
