-- levenshtein() for global search's edit-distance tier: one-word typos of short words ("globx", "okafr", "nguyn")
-- share too few trigrams with the intended word for the similarity tier. Neon ships fuzzystrmatch, like pg_trgm.
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
