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
if (process.env.NOWS) { await c.query("drop index search_words_ws_word_trgm_idx"); await c.query("create index tmp_w on search_words using gin (word gin_trgm_ops)"); }
if (process.env.GIST) { await c.query("create extension if not exists btree_gist"); await c.query("drop index search_words_ws_word_trgm_idx"); await c.query("create index tmp_w on search_words using gist (workspace_id, word gist_trgm_ops)"); }
if (!process.env.NOWS && !process.env.GIST) await c.query("select gin_clean_pending_list('search_words_ws_word_trgm_idx')");
await c.query("analyze search_words");
console.log(mode, (await c.query("select count(*) from search_words")).rows[0].count, "words; samples:", (await c.query("select string_agg(word, ' ') from (select word from search_words order by random() limit 12) x")).rows[0].string_agg);
await c.query("set enable_seqscan = off; set pg_trgm.similarity_threshold = 0.5");
for (const tok of ["nortwind", "schmdt", "kowalsky", "okafr", "emma", "globx"]) {
  const times: number[] = []; let n = 0;
  for (let i = 0; i < 4; i++) {
    const t = performance.now();
    const r = process.env.GIST
      ? await c.query(`select word from search_words where workspace_id = $1 and word % $2 order by word <-> $2 limit 16`, [ws, tok])
      : await c.query(`select word from search_words where workspace_id = $1 and word % $2 order by similarity(word, $2) desc limit 16`, [ws, tok]);
    times.push(performance.now() - t); n = r.rowCount!;
  }
  console.log(`  ${tok}: ${times.map((t) => t.toFixed(1)).join(" ")} ms (${n})`);
}
await c.query("rollback");
await c.end();
