-- A search first walks the newest rows of its view and checks their words
-- (app/src/db/inbox.rs). This index holds everything that walk reads, so
-- it never visits the table: the date order, state, votes and the searched
-- text. A btree entry must stay under about 2.7 kB, so the searched text is
-- bounded to the first 250 characters of the title and 300 of the excerpt
-- (at most 2.2 kB; feeds' excerpts are 300 characters at most anyway).
ALTER TABLE candidates DROP COLUMN search_text;
ALTER TABLE candidates
    ADD COLUMN search_text text GENERATED ALWAYS AS (lower(left(title, 250) || ' ' || left(excerpt, 300))) STORED;
CREATE INDEX candidates_search ON candidates USING gin (search_text gin_trgm_ops);
DROP INDEX candidates_newest;
CREATE INDEX candidates_newest ON candidates (published_at DESC, id DESC) INCLUDE (state, votes, search_text);
