-- Trigram indexes back the type-ahead search; Neon ships pg_trgm, so this runs there too.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
