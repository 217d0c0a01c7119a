-- btree_gin lets a GIN index lead with workspace_id (uuid) before the trigram / tsvector key, so global search in a
-- small workspace reads only that workspace's postings. Neon ships btree_gin, like pg_trgm (0000_extensions).
CREATE EXTENSION IF NOT EXISTS btree_gin;
