-- Global search's word dictionary (db/schema/search.ts): the functions that fill and prune it, the triggers that keep it
-- current, and the backfill of existing rows. Hand-written: drizzle-kit does not model functions or triggers.
--
-- Upkeep: statement-level AFTER triggers with transition tables, so a 500-row import batch costs one tokenising
-- pass and one INSERT … ON CONFLICT DO NOTHING, not 500 trigger calls. Words are only ever added here (insert,
-- rename, restore of a soft-deleted row); DO NOTHING takes no lock on words that already exist, so concurrent writers
-- never queue behind each other on common words, as reference counts would make them. A word that no live row uses
-- any more is harmless (the typo tier finds no record through it) and search_words_prune removes it later.
--
-- The one race: a prune deciding a word is unused while a transaction that adds a row using it has not committed.
-- Writers hold a shared advisory lock per workspace (search_words_lock_key) from their dictionary insert until they
-- commit; the prune takes it exclusively (try-lock: it skips a busy workspace rather than stall writers), then
-- re-checks its candidates with a fresh snapshot. A writer waiting on the lock re-adds its words after the prune.

-- The words of a name as the records' `search` tsvectors hold them (same parser, 'simple' configuration), so the typo
-- tier can look records up by them exactly. 3 to 40 characters, not digits and punctuation only (numbers are never
-- corrected), and no quote or backslash, so a word can be quoted into a tsquery as it is.
CREATE FUNCTION search_words_of(source text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT lexeme FROM unnest(to_tsvector('simple'::regconfig, source))
  WHERE char_length(lexeme) BETWEEN 3 AND 40 AND lexeme ~ '[^0-9[:punct:]]' AND lexeme !~ '[''\\]'
$$;
--> statement-breakpoint
-- Advisory lock key of a workspace's dictionary (shared by writers, exclusive for a prune).
CREATE FUNCTION search_words_lock_key(workspace uuid) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT hashtextextended('search_words:' || workspace::text, 0) $$;
--> statement-breakpoint
-- Adds the words of `sources` (one per row, with its workspace) after taking the writers' shared lock.
-- Sorted, so two transactions adding the same new words lock them in the same order.
CREATE FUNCTION search_words_add(kind search_entity, workspace_ids uuid[], sources text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(cardinality(workspace_ids), 0) = 0 THEN RETURN; END IF;
  PERFORM pg_advisory_xact_lock_shared(search_words_lock_key(w)) FROM (SELECT DISTINCT w FROM unnest(workspace_ids) w ORDER BY 1) x;
  INSERT INTO search_words (workspace_id, entity, word)
  SELECT DISTINCT r.w, kind, sw FROM unnest(workspace_ids, sources) r(w, s), search_words_of(r.s) sw
  ORDER BY 1, 3
  ON CONFLICT DO NOTHING;
END $$;
--> statement-breakpoint
-- One trigger function for the four tables: the words of live rows, and on UPDATE only of rows whose name fields
-- changed or that came back from the bin. Static SQL per table, so plans are cached per trigger. (Transition tables
-- rule out UPDATE OF column lists, hence the comparison with old_rows.)
CREATE FUNCTION search_words_sync() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ws uuid[];
  src text[];
BEGIN
  IF TG_TABLE_NAME = 'accounts' THEN
    IF TG_OP = 'INSERT' THEN
      SELECT array_agg(n.workspace_id), array_agg(n.name) INTO ws, src FROM new_rows n WHERE n.deleted_at IS NULL;
    ELSE
      SELECT array_agg(n.workspace_id), array_agg(n.name) INTO ws, src FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE n.deleted_at IS NULL AND (o.deleted_at IS NOT NULL OR o.name IS DISTINCT FROM n.name);
    END IF;
    PERFORM search_words_add('account', ws, src);
  ELSIF TG_TABLE_NAME = 'contacts' THEN
    IF TG_OP = 'INSERT' THEN
      SELECT array_agg(n.workspace_id), array_agg(concat_ws(' ', n.first_name, n.last_name)) INTO ws, src FROM new_rows n WHERE n.deleted_at IS NULL;
    ELSE
      SELECT array_agg(n.workspace_id), array_agg(concat_ws(' ', n.first_name, n.last_name)) INTO ws, src FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE n.deleted_at IS NULL AND (o.deleted_at IS NOT NULL OR o.first_name IS DISTINCT FROM n.first_name OR o.last_name IS DISTINCT FROM n.last_name);
    END IF;
    PERFORM search_words_add('contact', ws, src);
  ELSIF TG_TABLE_NAME = 'leads' THEN
    IF TG_OP = 'INSERT' THEN
      SELECT array_agg(n.workspace_id), array_agg(concat_ws(' ', n.first_name, n.last_name, n.company)) INTO ws, src FROM new_rows n WHERE n.deleted_at IS NULL;
    ELSE
      SELECT array_agg(n.workspace_id), array_agg(concat_ws(' ', n.first_name, n.last_name, n.company)) INTO ws, src FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE n.deleted_at IS NULL AND (o.deleted_at IS NOT NULL OR o.first_name IS DISTINCT FROM n.first_name OR o.last_name IS DISTINCT FROM n.last_name OR o.company IS DISTINCT FROM n.company);
    END IF;
    PERFORM search_words_add('lead', ws, src);
  ELSIF TG_TABLE_NAME = 'opportunities' THEN
    IF TG_OP = 'INSERT' THEN
      SELECT array_agg(n.workspace_id), array_agg(n.name) INTO ws, src FROM new_rows n WHERE n.deleted_at IS NULL;
    ELSE
      SELECT array_agg(n.workspace_id), array_agg(n.name) INTO ws, src FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE n.deleted_at IS NULL AND (o.deleted_at IS NOT NULL OR o.name IS DISTINCT FROM n.name);
    END IF;
    PERFORM search_words_add('opportunity', ws, src);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER accounts_search_words_insert AFTER INSERT ON accounts REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_words_sync();
--> statement-breakpoint
CREATE TRIGGER accounts_search_words_update AFTER UPDATE ON accounts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_words_sync();
--> statement-breakpoint
CREATE TRIGGER contacts_search_words_insert AFTER INSERT ON contacts REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_words_sync();
--> statement-breakpoint
CREATE TRIGGER contacts_search_words_update AFTER UPDATE ON contacts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_words_sync();
--> statement-breakpoint
CREATE TRIGGER leads_search_words_insert AFTER INSERT ON leads REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_words_sync();
--> statement-breakpoint
CREATE TRIGGER leads_search_words_update AFTER UPDATE ON leads REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_words_sync();
--> statement-breakpoint
CREATE TRIGGER opportunities_search_words_insert AFTER INSERT ON opportunities REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_words_sync();
--> statement-breakpoint
CREATE TRIGGER opportunities_search_words_update AFTER UPDATE ON opportunities REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_words_sync();
--> statement-breakpoint
-- True when a live record of the workspace still has `word` among its name words: looked up through the record's
-- `search` GIN index by the exact lexeme (as the typo tier does), then confirmed against the name fields.
CREATE FUNCTION search_words_in_use(workspace uuid, kind search_entity, word text) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
DECLARE
  q tsquery := ('''' || word || '''')::tsquery;
BEGIN
  CASE kind
    WHEN 'account' THEN
      RETURN EXISTS (SELECT 1 FROM accounts r WHERE r.workspace_id = workspace AND r.search @@ q AND r.deleted_at IS NULL
        AND word IN (SELECT search_words_of(r.name)));
    WHEN 'contact' THEN
      RETURN EXISTS (SELECT 1 FROM contacts r WHERE r.workspace_id = workspace AND r.search @@ q AND r.deleted_at IS NULL
        AND word IN (SELECT search_words_of(concat_ws(' ', r.first_name, r.last_name))));
    WHEN 'lead' THEN
      RETURN EXISTS (SELECT 1 FROM leads r WHERE r.workspace_id = workspace AND r.search @@ q AND r.deleted_at IS NULL
        AND word IN (SELECT search_words_of(concat_ws(' ', r.first_name, r.last_name, r.company))));
    WHEN 'opportunity' THEN
      RETURN EXISTS (SELECT 1 FROM opportunities r WHERE r.workspace_id = workspace AND r.search @@ q AND r.deleted_at IS NULL
        AND word IN (SELECT search_words_of(r.name)));
  END CASE;
END $$;
--> statement-breakpoint
-- Removes a workspace's words that no live record uses (nightly, worker/scheduled/maintenance.ts); returns how many.
-- Finds candidates without blocking anyone, then deletes under the exclusive lock only those still unused.
CREATE FUNCTION search_words_prune(workspace uuid) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  stale search_words[];
  removed integer;
BEGIN
  SELECT array_agg(sw) INTO stale FROM search_words sw
  WHERE sw.workspace_id = workspace AND NOT search_words_in_use(sw.workspace_id, sw.entity, sw.word);
  IF stale IS NULL OR NOT pg_try_advisory_xact_lock(search_words_lock_key(workspace)) THEN
    RETURN 0;
  END IF;
  DELETE FROM search_words sw USING unnest(stale) s
  WHERE sw.workspace_id = s.workspace_id AND sw.entity = s.entity AND sw.word = s.word
    AND NOT search_words_in_use(sw.workspace_id, sw.entity, sw.word);
  GET DIAGNOSTICS removed = ROW_COUNT;
  RETURN removed;
END $$;
--> statement-breakpoint
-- Backfill. The triggers above already exist and block writers until this migration commits, so no row is missed.
INSERT INTO search_words (workspace_id, entity, word)
SELECT DISTINCT workspace_id, 'account'::search_entity, w FROM accounts, search_words_of(name) w WHERE deleted_at IS NULL;
--> statement-breakpoint
INSERT INTO search_words (workspace_id, entity, word)
SELECT DISTINCT workspace_id, 'contact'::search_entity, w FROM contacts, search_words_of(concat_ws(' ', first_name, last_name)) w WHERE deleted_at IS NULL;
--> statement-breakpoint
INSERT INTO search_words (workspace_id, entity, word)
SELECT DISTINCT workspace_id, 'lead'::search_entity, w FROM leads, search_words_of(concat_ws(' ', first_name, last_name, company)) w WHERE deleted_at IS NULL;
--> statement-breakpoint
INSERT INTO search_words (workspace_id, entity, word)
SELECT DISTINCT workspace_id, 'opportunity'::search_entity, w FROM opportunities, search_words_of(name) w WHERE deleted_at IS NULL;
