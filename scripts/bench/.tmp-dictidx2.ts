import pg from "pg";
const c = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/bespoke_bench" });
await c.connect();
const ws = (await c.query("select id from workspaces where slug='bench'")).rows[0].id;
const mode = process.env.MODE ?? "letters";
await c.query("begin");
const syl = `array['ka','ro','li','mon','ter','sch','mi','dt','ne','wal','ski','ber','gar','cia','lo','vel','ace','nor','th','win','ok','af','or','glo','bex','an','el','us','ma','rin']`;
const gen = mode === "syllables"
  ? `select g, (${syl})[1 + (hashint4(g) & 2147483647) % 30] || (${syl})[1 + (hashint4(g*7+1) & 2147483647) % 30] || (${syl})[1 + (hashint4(g*13+5) & 2147483647) % 30] || coalesce((${syl} || array[null,null,null,null,null,null,null,null,null,null]::text[])[1 + (hashint4(g*17+3) & 2147483647) % 40], '') as w from generate_series(1, 400000) g`
  : `select g, (select string_agg(substr('eeeeeeeeeeeettttttttaaaaaaaaoooooooiiiiiiinnnnnnnssssssrrrrrrhhhhhlllldddcccuuummmwwffggyyppbbvkjxqz', 1 + (hashint4(g * 31 + k) & 2147483647) % 97, 1), '') from generate_series(1, 4 + (hashint4(g) & 2147483647) % 7) k) as w from generate_series(1, 300000) g`;
await c.query(`insert into search_words (workspace_id, entity, word)
  select $1, (array['account','contact','lead','opportunity']::search_entity[])[1 + (g % 4)], w from (${gen}) x on conflict do nothing`, [ws]);
const small = (await c.query(`insert into workspaces (name, slug) values ('tiny', 'tiny-' || gen_random_uuid()) returning id`)).rows[0].id;
await c.query(`insert into search_words (workspace_id, entity, word) values ($1, 'contact', 'northwind'), ($1, 'contact', 'schmidt'), ($1, 'account', 'kowalski'), ($1, 'account', 'okafor')`, [small]);
await c.query("select gin_clean_pending_list('search_words_ws_word_trgm_idx')");
await c.query("create index tmp_w on search_words using gin (word gin_trgm_ops)");
await c.query("analyze search_words");
await c.query("set enable_seqscan = off; set pg_trgm.similarity_threshold = 0.5");
for (const [label, w] of [["big", ws], ["tiny", small]]) {
  for (const tok of ["nortwind", "schmdt", "kowalsky", "okafr", "globx"]) {
    const times: number[] = []; let n = 0; let plan = "";
    for (let i = 0; i < 4; i++) {
      const t = performance.now();
      const r = await c.query(`select word from search_words where workspace_id = $1 and word % $2 order by similarity(word, $2) desc limit 16`, [w, tok]);
      times.push(performance.now() - t); n = r.rowCount!;
    }
    plan = (await c.query(`explain select word from search_words where workspace_id = $1 and word % $2 order by similarity(word, $2) desc limit 16`, [w, tok])).rows.map((x) => x["QUERY PLAN"]).filter((l: string) => /Index/.test(l)).join(" ").replace(/\s+/g, " ").slice(0, 100);
    console.log(`  ${label} ${tok}: ${times.map((t) => t.toFixed(1)).join(" ")} ms (${n}) ${plan}`);
  }
}
await c.query("drop index search_words_ws_word_trgm_idx");
for (const [label, w] of [["big", ws], ["tiny", small]]) {
  for (const tok of ["nortwind", "schmdt", "globx"]) {
    const times: number[] = []; let n = 0;
    for (let i = 0; i < 4; i++) {
      const t = performance.now();
      const r = await c.query(`select word from search_words where workspace_id = $1 and word % $2 order by similarity(word, $2) desc limit 16`, [w, tok]);
      times.push(performance.now() - t); n = r.rowCount!;
    }
    console.log(`  word-only index, ${label} ${tok}: ${times.map((t) => t.toFixed(1)).join(" ")} ms (${n})`);
  }
}
await c.query("rollback");
await c.end();
