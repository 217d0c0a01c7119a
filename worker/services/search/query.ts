import { sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { searchTypes, type SearchResultType } from "../../schemas/search";

/**
 * The global search statement, built once here so the route and the benchmark (scripts/bench/) run the very same SQL.
 *
* Ranking, best first: the whole field equals the query (1.0) › the field starts with it (0.9) › every word of the
 * query starts a word of the field (0.75) › strict trigram word similarity (0.6 × similarity, so at most 0.6).
 * Matches through a related company (a contact's account, a lead's company, a deal's account) count 0.8 of that, and
 * a phone number containing the typed digits 0.8. Ties go to the most recently updated row.
 *
 * Cost is bounded whatever the workspace size: every candidate comes from an index scan with a LIMIT, so the work
 * grows with the number of results kept, not with the table.
 *   1. Prefix tiers walk btree indexes on (workspace_id, lower(field) COLLATE "C") WHERE deleted_at IS NULL in key
 *      order (shortest completions first) and stop after `perTier` rows: a range scan, well under 1 ms at 1M rows.
 *      Names, e-mails, account domains; last names and lead companies too, so "lovel" finds Ada Lovelace.
 *   2. Phone-like queries (4+ digits, nothing but phone punctuation) match the digits anywhere in the number through a
 *      trigram index on the digits alone, so "+1 (555) 010" and "555010" find the same row.
 *   3. Word starts anywhere in a name ("trad" → Northwind Traders) use the tsvector GIN index (`search`) with a prefix
 *      tsquery.
 *   4. Typos, from 4 characters, in two steps. (a) Each query word is looked up in the workspace's word dictionary
 *      (`search_words`: the distinct words of names, kept by triggers, migrations 0006–0008): the dictionary words it
 *      starts (btree range) or resembles (pg_trgm similarity, trigram index), a few per word and record type. The
 *      dictionary holds each word once however many records use it, so this stays small at any data size.
 *      (b) Records holding one of those words for every query word are read through the tsvector GIN index (exact
 *      lexemes, no trigram recheck against heap rows) — and, while those are fewer than `limit`, records holding any
 *      of them — then kept only when strict word similarity of the whole query to the field reaches
 *      WORD_SIMILARITY_THRESHOLD: the rule (and score) the typo tier has always used. Scanning the records' trigram
 *      indexes instead rechecked every candidate against its heap row: 40,000 for a misspelt common surname at 1M
 *      contacts, 150–300 ms.
 *   5. One-word typos of short words (4–8 letters) whose trigrams differ too much ("nguyn", "alcie"): dictionary words
 *      one edit or one swapped pair of letters away (levenshtein, fuzzystrmatch), same first letter; records score 0.5.
 * Tiers 3 to 5 read posting lists that grow with the data, so each runs only while the cheaper tiers have found
 * fewer than `limit` rows that already outrank (or tie) anything it could add.
 * A very common prefix therefore returns the alphabetically first completions rather than scanning every match, and
 * when the page is full, equally scored rows found by a cheaper tier win over ones a skipped tier might have found.
  */

export const SEARCH_TYPES = searchTypes;
export type SearchType = SearchResultType;

export const SEARCH_MAX_LIMIT = 20;
export const SEARCH_MAX_QUERY_LENGTH = 100;
/** strict_word_similarity floor for typos: "nortwind" ~ "Northwind Traders" is 0.58, "mrford" ~ "Morford" 0.5. */
export const WORD_SIMILARITY_THRESHOLD = 0.5;
/**
 * pg_trgm similarity a dictionary word needs to stand in for a query word. With one query word the whole query's
 * threshold applies (a record can only pass with such a word). With several, one word may be off by more as long as
 * the whole query still reaches WORD_SIMILARITY_THRESHOLD, so the dictionary step casts wider (pg_trgm's default).
 */
const SINGLE_WORD_SIMILARITY = WORD_SIMILARITY_THRESHOLD;
const MULTI_WORD_SIMILARITY = 0.3;
/** Dictionary words kept per query word and record type: the most similar ones. */
const TYPO_ALTERNATIVES = 16;
/** Below this a row is noise (a fuzzy hit on a field other than the one that matched the index). */
const MIN_SCORE = 0.3;
/** A "typo" in fewer than four characters is a different word; trigram scans of such queries are also the costliest. */
const FUZZY_MIN_LENGTH = 4;
/** The dictionary holds words of 3+ characters (search_words_of in migration 0007): shorter query words are skipped. */
const DICTIONARY_MIN_LENGTH = 3;
/**
 * Edit-distance tier: a one-word query of 4–8 letters also matches dictionary words one edit away (fuzzystrmatch's
 * levenshtein) or one swap of neighbouring letters away: "nguyn" → nguyen, "okafr" → okafor, "globx" → globex,
 * "alcie" → alice. Such short typos share too few trigrams with the word for the similarity tier. (Two arbitrary
 * edits were tried: in five letters they also turn "alcie" into "acme".) Candidates are the workspace's dictionary
 * words with the same first letter and a length within one (a prefix range of the dictionary), so the cost follows
 * the dictionary, not the records.
 */
const EDIT_MAX_LENGTH = 8;
/** Score of a record found only through an edit-distance word: below word starts (0.75) and prefixes (0.9+). */
const EDIT_SCORE = 0.5;

export interface SearchInput {
  workspaceId: string;
  q: string;
  types?: readonly SearchType[];
  limit?: number;
}

export interface SearchStatements {
  /** The normalised query the SQL searches for (lower case, single spaces). */
  normalized: string;
  /** Must run in the same transaction just before `query`: sets the trigram threshold for `%` (SET LOCAL). */
  setup: SQL;
  query: SQL;
}

/** Lower case, trimmed, inner whitespace collapsed, capped: what every tier compares against. */
export function normalizeSearchQuery(raw: string): string {
  return raw.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase().slice(0, SEARCH_MAX_QUERY_LENGTH);
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** Letter/digit runs of the query: each must start a word of the field for a word-prefix match. */
export function searchTokens(q: string): string[] {
  return q.split(/[^\p{L}\p{N}]+/u).filter(Boolean).slice(0, 8);
}

/** Digits of a phone-like query, or null when the query is not one (letters, or fewer than 4 digits). */
export function phoneDigits(q: string): string | null {
  if (!/^[\d\s+().\-/]+$/.test(q)) return null;
  const digits = q.replace(/\D/g, "");
  return digits.length >= 4 ? digits : null;
}

/**
 * The two statements of one search (run them in one transaction; over neon-http that is one `batch`, one round trip).
 * Rows: { type, id, title, subtitle, score, updated_at }, best first, at most `limit`.
 */
export function buildSearchStatements(input: SearchInput): SearchStatements {
  const q = normalizeSearchQuery(input.q);
  const types = new Set<SearchType>(input.types?.length ? input.types : SEARCH_TYPES);
  const limit = Math.min(Math.max(1, Math.trunc(input.limit ?? SEARCH_MAX_LIMIT)), SEARCH_MAX_LIMIT);
  // Twice the limit per tier leaves room for recency to reorder ties without making any scan unbounded.
  const perTier = limit * 2;
  const fuzzyCap = limit * 10;
  const typoCandidates = fuzzyCap * 5;
  const ws = sql`${input.workspaceId}::uuid`;
  const prefix = `${escapeLike(q)}%`;
  const tokens = searchTokens(q);
  const digits = phoneDigits(q);
  const fuzzy = q.length >= FUZZY_MIN_LENGTH && digits === null;
  // Typo tier inputs: words are corrected through the dictionary; numbers (never in it) must start a word as typed.
  const hasLetter = (t: string) => /\p{L}/u.test(t);
  const typoWords = tokens.filter((t) => hasLetter(t) && [...t].length >= DICTIONARY_MIN_LENGTH);
  const typoNumbers = tokens.filter((t) => !hasLetter(t));
  const typo = fuzzy && typoWords.length > 0;
  const editWord = fuzzy && tokens.length === 1 && typoWords.length === 1 && [...q].length <= EDIT_MAX_LENGTH ? q : null;
  const tsquery = tokens.length && digits === null ? tokens.map((t) => `'${t}':*`).join(" & ") : null;

  const needAccounts = types.has("account") || types.has("contact") || types.has("opportunity");

  /** Words start after spaces and after the punctuation of e-mails, domains and phone numbers. */
  const words = (expr: SQL) => sql`(' ' || translate(${expr}, '.@_-/,()+&', '          '))`;
  /** Every token of the query starts a word of the field. */
  const allWordsStart = (expr: SQL) => sql`(${sql.join(tokens.map((t) => sql`${words(expr)} like ${`% ${escapeLike(t)}%`}`), sql` and `)})`;
  /** Score of one lower-cased field (see the ranking at the top of this file). */
  const fieldScore = (expr: SQL) => sql`(case
      when ${expr} is null then 0
      when ${expr} = ${q} then 1.0
      when ${expr} like ${prefix} then 0.9
      ${tokens.length ? sql`when ${allWordsStart(expr)} then 0.75` : sql``}
      else 0.6 * strict_word_similarity(${q}, ${expr}) end)`;
  const phoneScore = (col: SQL) =>
    digits === null
      ? sql`0`
      : sql`(case when ${col} is null then 0
          when regexp_replace(${col}, '\\D', '', 'g') = ${digits} then 1.0
          when regexp_replace(${col}, '\\D', '', 'g') like ${`${digits}%`} then 0.9
          when regexp_replace(${col}, '\\D', '', 'g') like ${`%${digits}%`} then 0.8 else 0 end)`;

  const live = (table: string) => sql`select id from ${sql.raw(table)} where workspace_id = ${ws} and deleted_at is null`;
  /** A prefix tier: a btree range scan in key order, at most perTier rows. `key` must match the index expression. */
  const prefixScan = (table: string, key: string) =>
    sql`(${live(table)} and ${sql.raw(key)} like ${prefix} order by ${sql.raw(key)} limit ${perTier})`;
  const phoneScan = (table: string) =>
    sql`(${live(table)} and regexp_replace(phone, '\\D', '', 'g') like ${`%${digits}%`} limit ${perTier})`;
  /**
   * Word starts anywhere ("trad" → Northwind Traders) through the tsvector GIN index (`search`). The vector also holds
   * fields that are not shown (industry, title), so rows are re-checked against the scored fields before the LIMIT:
   * every row this tier returns really scores 0.75+.
   */
  const wordScan = (table: string, fields: string[]) =>
    sql`(${live(table)} and search @@ to_tsquery('simple', ${tsquery})
          and (${sql.join(fields.map((f) => allWordsStart(sql.raw(`lower(${f})`))), sql` or `)})
          and (select n from named) < ${limit} limit ${perTier})`;
  /**
   * Typos, step (b): records holding the dictionary words of `typo_query` (built below), through the tsvector GIN index,
   * kept when the whole query resembles the field. At most `typoCandidates` rows are read before that check, so a
   * query whose words match many records it does not resemble as a whole still costs a bounded scan.
   */
  const typoScan = (type: SearchType, table: string, expr: string, tsq: "all_q" | "any_q", gate: SQL) =>
    sql`select id from (
          select id, ${sql.raw(expr)} as field from ${sql.raw(table)}
          where workspace_id = ${ws} and deleted_at is null
            and search @@ (select tq.${sql.raw(tsq)} from typo_query tq where tq.entity = ${type}::search_entity)
            and ${gate}
          limit ${typoCandidates}) c
        where strict_word_similarity(${q}, c.field) >= ${WORD_SIMILARITY_THRESHOLD} limit ${fuzzyCap}`;

  // Index expressions (db/schema/crm.ts): keep these strings identical to the indexed ones or the planner cannot match.
  const NAME_C = `lower(name) collate "C"`;
  // What the typo check compares a whole query with: a person's full name (a lead's with the company), as before.
  const PERSON_TRGM = `lower(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))`;
  const LEAD_TRGM = `lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(company, ''))`;

  const ctes: SQL[] = [];
  const cte = (name: string, body: SQL) => ctes.push(sql`${sql.raw(name)} as (${body})`);
  const ids = (names: string[]) => sql.join(names.map((n) => sql`select id from ${sql.raw(n)}`), sql` union `);
  /**
   * Sources whose rows are known to score 0.9+ (`strong`), or 0.75+ (`named`: strong and last names; `settled`: named
   * and word starts): each count decides whether the next, costlier tier can still change the page.
   */
  const strong: string[] = [];
  const named: string[] = [];
  const settled: string[] = [];

  // Accounts are searched for contacts' and deals' company matches too, but only count when accounts are shown.
  const counts = (type: SearchType) => types.has(type);
  const strongTier = (type: SearchType, table: string, keys: string[]) => {
    cte(`${type}_strong`, sql.join(keys.map((k) => prefixScan(table, k)), sql` union all `));
    if (counts(type)) strong.push(`${type}_strong`);
  };
  if (needAccounts) strongTier("account", "accounts", [NAME_C, `lower(domain) collate "C"`]);
  if (types.has("contact")) strongTier("contact", "contacts", [NAME_C, `lower(email) collate "C"`]);
  if (types.has("lead")) strongTier("lead", "leads", [NAME_C, `lower(email) collate "C"`]);
  if (types.has("opportunity")) strongTier("opportunity", "opportunities", [NAME_C]);
  cte("strong", sql`select count(*) as n from (${ids(strong)}) s`);

  // A last name starting with the query makes the name's second word start with it: 0.75.
  const lastNameTier = (type: "contact" | "lead", table: string) => {
    cte(`${type}_last_name`, prefixScan(table, `lower(last_name) collate "C"`));
    named.push(`${type}_last_name`);
    return [sql`select id from ${sql.raw(`${type}_last_name`)}`];
  };
  const contactLastNames = types.has("contact") ? lastNameTier("contact", "contacts") : [];
  const leadLastNames = types.has("lead") ? lastNameTier("lead", "leads") : [];
  cte("named", sql`select count(*) as n from (${ids([...strong, ...named])}) s`);

  const wordTier = (type: SearchType, table: string, fields: string[]) => {
    if (!tsquery) return [];
    cte(`${type}_word`, wordScan(table, fields));
    if (counts(type)) settled.push(`${type}_word`);
    return [sql`select id from ${sql.raw(`${type}_word`)}`];
  };
  const accountWords = needAccounts ? wordTier("account", "accounts", ["name", "domain"]) : [];
  const contactWords = types.has("contact") ? wordTier("contact", "contacts", ["name", "email"]) : [];
  const leadWords = types.has("lead") ? wordTier("lead", "leads", ["name", "email", "company"]) : [];
  const opportunityWords = types.has("opportunity") ? wordTier("opportunity", "opportunities", ["name"]) : [];
  cte("settled", sql`select count(*) as n from (${ids([...strong, ...named, ...settled])}) s`);

  const typoIds: Partial<Record<SearchType, SQL[]>> = {};
  if (typo) {
    const entities = [
      ...(needAccounts ? ["account"] : []),
      ...(["contact", "lead", "opportunity"] as const).filter((t) => types.has(t)),
    ];
    // Typos, step (a): per query word, the dictionary words it starts (a btree range in byte order) and, from 4
    // characters, the ones it resembles (trigram index); the most similar few per record type. No rows once the
    // cheaper tiers have filled the page.
    const kinds = sql.join(entities.map((e) => sql`${e}::search_entity`), sql`, `);
    const dictionary = sql`search_words sw where sw.workspace_id = ${ws} and sw.entity in (${kinds}) and (select n from settled) < ${limit}`;
    const lookups = typoWords.flatMap((word, ord) => [
      sql`(select sw.entity, ${ord}::int as ord, sw.word, similarity(sw.word, ${word}) as sim from ${dictionary}
          and sw.word collate "C" like ${`${escapeLike(word)}%`} order by sw.word collate "C" limit ${TYPO_ALTERNATIVES * entities.length})`,
      ...([...word].length >= FUZZY_MIN_LENGTH
        ? [sql`(select sw.entity, ${ord}::int as ord, sw.word, similarity(sw.word, ${word}) as sim from ${dictionary}
            and sw.word % ${word} order by sim desc limit ${TYPO_ALTERNATIVES * entities.length})`]
        : []),
    ]);
    cte("typo_words", sql`select entity, ord, word from (
        select x.entity, x.ord, x.word, row_number() over (partition by x.entity, x.ord order by x.sim desc, x.word) as rank
        from (${sql.join(lookups, sql` union `)}) x) ranked
      where rank <= ${TYPO_ALTERNATIVES}`);
    // Per record type, two tsqueries. `all_q`: one of its dictionary words for every query word (a word that resembles
    // nothing in the workspace is left to the similarity check) and every number as a word start; null when this
    // type lacks a word the others have. `any_q`: any of them — a query whose best match holds only some of its words
    // ("initech dxego" → Initech Energy) still reaches the similarity threshold, as it did before the dictionary.
    // Dictionary words never hold quotes or backslashes (search_words_of), so quoting them is enough.
    const numbers = (op: string) => typoNumbers.map((n) => ` ${op} '${n}':*`).join("");
    cte("typo_query", sql`select g.entity,
        case when count(*) = (select count(distinct ord) from typo_words)
          then (string_agg('(' || g.alternatives || ')', ' & ') || ${numbers("&")})::tsquery end as all_q,
        (string_agg(g.alternatives, ' | ') || ${numbers("|")})::tsquery as any_q
      from (select entity, ord, string_agg('''' || word || '''', ' | ') as alternatives from typo_words group by entity, ord) g
      group by g.entity`);
    // Records matching every word first; records matching only some are read only while those found fewer than
    // `limit` (with one query word both queries are the same).
    const typoTier = (type: SearchType, table: string, expr: string) => {
      cte(`${type}_typo`, typoScan(type, table, expr, "all_q", sql`true`));
      const parts = [sql`select id from ${sql.raw(`${type}_typo`)}`];
      if (tokens.length > 1) {
        cte(`${type}_typo_partial`, typoScan(type, table, expr, "any_q", sql`(select count(*) from ${sql.raw(`${type}_typo`)}) < ${limit}`));
        parts.push(sql`select id from ${sql.raw(`${type}_typo_partial`)}`);
      }
      return parts;
    };
    if (needAccounts) typoIds.account = typoTier("account", "accounts", "lower(name)");
    if (types.has("contact")) typoIds.contact = typoTier("contact", "contacts", PERSON_TRGM);
    if (types.has("lead")) typoIds.lead = typoTier("lead", "leads", LEAD_TRGM);
    if (types.has("opportunity")) typoIds.opportunity = typoTier("opportunity", "opportunities", "lower(name)");
  }

  // Edit-distance tier (EDIT_MAX_LENGTH): dictionary words within a few edits of a short one-word query, then records
  // holding one of them through the tsvector GIN index, at most `perTier` per type. Only while the cheaper tiers
  // have not filled the page. Such records score EDIT_SCORE (`edited` below) however little the trigrams agree.
  const editIds: Partial<Record<SearchType, string>> = {};
  if (editWord) {
    const entities = [...(needAccounts ? ["account"] : []), ...(["contact", "lead", "opportunity"] as const).filter((t) => types.has(t))];
    const kinds = sql.join(entities.map((e) => sql`${e}::search_entity`), sql`, `);
    const length = [...editWord].length;
    const sortedLetters = (expr: SQL) => sql`array_to_string(array(select c from unnest(string_to_array(${expr}, null)) c order by c collate "C"), '')`;
    cte("edit_words", sql`select sw.entity, sw.word from search_words sw
      where sw.workspace_id = ${ws} and sw.entity in (${kinds}) and (select n from settled) < ${limit}
        and sw.word collate "C" like ${`${escapeLike([...editWord][0]!)}%`}
        and char_length(sw.word) between ${length - 1} and ${length + 1}
        and (levenshtein_less_equal(sw.word, ${editWord}::text, 1) <= 1
          or (char_length(sw.word) = ${length} and levenshtein_less_equal(sw.word, ${editWord}::text, 2) = 2
            and ${sortedLetters(sql`sw.word`)} = ${[...editWord].sort().join("")}))`);
    cte("edit_query", sql`select entity, string_agg('''' || word || '''', ' | ')::tsquery as q from edit_words group by entity`);
    const editTier = (type: SearchType, table: string) => {
      cte(`${type}_edit`, sql`select id from ${sql.raw(table)} where workspace_id = ${ws} and deleted_at is null
        and search @@ (select eq.q from edit_query eq where eq.entity = ${type}::search_entity) limit ${perTier}`);
      editIds[type] = `${type}_edit`;
    };
    if (needAccounts) editTier("account", "accounts");
    if (types.has("contact")) editTier("contact", "contacts");
    if (types.has("lead")) editTier("lead", "leads");
    if (types.has("opportunity")) editTier("opportunity", "opportunities");
  }
  const editPart = (type: SearchType) => (editIds[type] ? [sql`select id from ${sql.raw(editIds[type]!)}`] : []);
  /** EDIT_SCORE for a row the edit-distance tier found, else 0. */
  const edited = (type: SearchType, alias: string) =>
    editIds[type] ? sql`(case when ${sql.raw(alias)}.id in (select id from ${sql.raw(editIds[type]!)}) then ${EDIT_SCORE}::float8 else 0 end)` : sql`0`;

  /** Every candidate id per type, from all tiers; scored and ranked below. */
  const idCte = (name: string, parts: SQL[]) => cte(name, sql.join(parts, sql` union `));
  const optional = (cond: unknown, part: () => SQL) => (cond ? [part()] : []);

  if (needAccounts) {
    idCte("account_ids", [
      sql`select id from account_strong`,
      ...accountWords,
      ...optional(digits, () => phoneScan("accounts")),
      ...(typoIds.account ?? []),
      ...editPart("account"),
    ]);
  }
  if (types.has("contact")) {
    idCte("contact_ids", [
      sql`select id from contact_strong`,
      ...contactLastNames,
      ...contactWords,
      ...optional(digits, () => phoneScan("contacts")),
      ...(typoIds.contact ?? []),
      ...editPart("contact"),
      // People at the companies that matched: a few probes of contacts_account_idx.
      sql`(${live("contacts")} and account_id in (select id from account_ids) limit ${perTier})`,
    ]);
  }
  if (types.has("lead")) {
    idCte("lead_ids", [
      sql`select id from lead_strong`,
      ...leadLastNames,
      prefixScan("leads", `lower(company) collate "C"`),
      ...leadWords,
      ...optional(digits, () => phoneScan("leads")),
      ...(typoIds.lead ?? []),
      ...editPart("lead"),
    ]);
  }
  if (types.has("opportunity")) {
    idCte("opportunity_ids", [
      sql`select id from opportunity_strong`,
      ...opportunityWords,
      ...(typoIds.opportunity ?? []),
      ...editPart("opportunity"),
      sql`(${live("opportunities")} and account_id in (select id from account_ids) limit ${perTier})`,
    ]);
  }

  const lower = (col: string) => sql.raw(`lower(${col})`);
  const results: SQL[] = [];
  if (types.has("account")) {
    results.push(sql`select 'account' as type, a.id, a.name as title,
        nullif(concat_ws(' · ', a.domain, a.industry, a.city), '') as subtitle, a.updated_at,
        greatest(${fieldScore(lower("a.name"))}, ${fieldScore(lower("a.domain"))}, ${phoneScore(sql.raw("a.phone"))}, ${edited("account", "a")}) as score
      from accounts a where a.id in (select id from account_ids) and a.workspace_id = ${ws} and a.deleted_at is null`);
  }
  if (types.has("contact")) {
    results.push(sql`select 'contact' as type, c.id, coalesce(nullif(c.name, ''), c.email, '(no name)') as title,
        nullif(concat_ws(' · ', c.title, acc.name, c.email), '') as subtitle, c.updated_at,
        greatest(${fieldScore(lower("c.name"))}, ${fieldScore(lower("c.email"))}, ${phoneScore(sql.raw("c.phone"))},
          0.8 * ${fieldScore(lower("acc.name"))}, ${edited("contact", "c")}) as score
      from contacts c left join accounts acc on acc.id = c.account_id and acc.deleted_at is null
      where c.id in (select id from contact_ids) and c.workspace_id = ${ws} and c.deleted_at is null`);
  }
  if (types.has("lead")) {
    results.push(sql`select 'lead' as type, l.id, coalesce(nullif(l.name, ''), l.email, '(no name)') as title,
        nullif(concat_ws(' · ', l.company, l.email), '') as subtitle, l.updated_at,
        greatest(${fieldScore(lower("l.name"))}, ${fieldScore(lower("l.email"))}, ${phoneScore(sql.raw("l.phone"))},
          0.8 * ${fieldScore(lower("l.company"))}, ${edited("lead", "l")}) as score
      from leads l where l.id in (select id from lead_ids) and l.workspace_id = ${ws} and l.deleted_at is null`);
  }
  if (types.has("opportunity")) {
    results.push(sql`select 'opportunity' as type, o.id, o.name as title,
        nullif(concat_ws(' · ', acc.name, st.name), '') as subtitle, o.updated_at,
        greatest(${fieldScore(lower("o.name"))}, 0.8 * ${fieldScore(lower("acc.name"))}, ${edited("opportunity", "o")}) as score
      from opportunities o
        left join accounts acc on acc.id = o.account_id and acc.deleted_at is null
        left join pipeline_stages st on st.id = o.stage_id
      where o.id in (select id from opportunity_ids) and o.workspace_id = ${ws} and o.deleted_at is null`);
  }

  const query = sql`with ${sql.join(ctes, sql`, `)}
    select type, id, title, subtitle, round(score::numeric, 3)::float8 as score, updated_at
    from (${sql.join(results, sql` union all `)}) r
    where score >= ${MIN_SCORE}
    order by score desc, updated_at desc, id
    limit ${limit}`;
  // The trigram operator `%` (dictionary step) reads its threshold from a setting. Sequential scans are switched off
  // for this one statement: every scan in it has a LIMIT, and with pg_trgm's fixed selectivity guesses the planner
  // would otherwise sometimes bet on a table scan stopping early — a full scan whenever the matches are rare.
  const wordSimilarity = tokens.length > 1 ? MULTI_WORD_SIMILARITY : SINGLE_WORD_SIMILARITY;
  const setup = sql`select set_config('pg_trgm.similarity_threshold', ${String(wordSimilarity)}, true),
    set_config('enable_seqscan', 'off', true)`;
  return { normalized: q, setup, query };
}

/**
 * The same statements as plain text + parameters, for running them with `pg` (benchmarks, EXPLAIN): wrap both in
 * one transaction (BEGIN; setup; query; COMMIT) so the SET LOCAL applies.
 */
export function renderSearchStatements(input: SearchInput): { normalized: string; setup: { sql: string; params: unknown[] }; query: { sql: string; params: unknown[] } } {
  const { normalized, setup, query } = buildSearchStatements(input);
  const dialect = new PgDialect();
  return { normalized, setup: dialect.sqlToQuery(setup), query: dialect.sqlToQuery(query) };
}
