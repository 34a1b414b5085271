-- Search compares against a stored lower-case copy of title and excerpt
-- with LIKE: ILIKE folds the case of every character of every candidate it
-- checks, which made it the largest cost of a search.
ALTER TABLE candidates
    ADD COLUMN search_text text GENERATED ALWAYS AS (lower(title || ' ' || excerpt)) STORED;
DROP INDEX candidates_search;
CREATE INDEX candidates_search ON candidates USING gin (search_text gin_trgm_ops);
-- Fresh statistics for the new column, so searches are planned well at once.
ANALYZE candidates;
