-- Ingest at batch speed (issue 18): a feed's entries are stored with a few
-- set-based statements instead of several statements per entry, and
-- near-duplicate titles are found through an index of title keys whose
-- lookups do not grow with the table (the trigram search over all
-- candidates of a fortnight did, and cost PostgreSQL ~20 ms per entry).

-- Title keys (app/src/near_duplicates.rs): a few hashed tokens of each
-- title, chosen so that two titles similar enough to be near-duplicates
-- share at least one. Looking a key up reads one short range of this
-- index (same key, published within the window), never the whole table.
CREATE TABLE candidate_title_keys (
    key          bigint NOT NULL,
    published_at timestamptz NOT NULL,
    candidate_id bigint NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    PRIMARY KEY (key, published_at, candidate_id)
);
CREATE INDEX candidate_title_keys_candidate ON candidate_title_keys (candidate_id);

-- Only the trigram near-duplicate search used it; every insert paid for it.
DROP INDEX candidates_title_trgm;

-- "Which rows name this one as their near-duplicate" (a linked or edited
-- entry) and the foreign key's ON DELETE SET NULL read by similar_to; both
-- scanned the whole table without it.
CREATE INDEX candidates_similar_to ON candidates (similar_to) WHERE similar_to IS NOT NULL;

-- Stores one feed's normalised entries, given as parallel arrays (one
-- element per entry; categories joined with U+001F). Returns, like
-- ingest_entries did, one row per entry: new, linked (a known article from
-- another feed), updated, unchanged or tombstoned. New candidates are
-- announced on `newsdesk_candidates` (delivered at commit).
--
-- Three statements whatever the number of entries: known entries (and
-- their edits), new articles, then links to articles another feed
-- brought. Each statement takes a fresh snapshot, so the last one sees an
-- article a concurrent refresh committed while ours waited on its key.
CREATE FUNCTION ingest_entry_batch(
    p_feed_id bigint, p_keys text[], p_urls text[], p_url_keys text[], p_titles text[],
    p_summaries text[], p_excerpts text[], p_authors text[], p_categories text[],
    p_published timestamptz[], p_hashes text[])
RETURNS TABLE (entry_key text, candidate_id bigint, outcome text)
-- Planned per call: a plan cached while the tables were small (a new
-- install that starts with a big import) would scan them later.
SET plan_cache_mode = force_custom_plan
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    done_keys     text[];
    done_ids      bigint[];
    done_outcomes text[];
    new_keys  text[];
    new_ids   bigint[];
BEGIN
    -- What a crash could lose by committing without waiting for the WAL
    -- flush (well under a second of refreshes) is fetched again at the next
    -- poll; the flush wait was a third of a refresh on one host. For the
    -- calling transaction, which only stores a feed's entries.
    PERFORM set_config('synchronous_commit', 'off', true);

    -- Entries this feed brought before (or that were removed): edits are
    -- written, the rest is reported unchanged.
    WITH e AS (
        SELECT * FROM unnest(p_keys, p_url_keys, p_titles, p_summaries, p_excerpts, p_authors,
                             p_categories, p_hashes)
               AS e(key, url_key, title, summary_html, excerpt, author, categories, hash)
    ), known AS MATERIALIZED (
        SELECT e.*, s.candidate_id AS cid, s.content_hash AS old_hash,
               (EXISTS (SELECT 1 FROM candidate_tombstones t
                        WHERE e.url_key IS NOT NULL AND t.url_key = e.url_key)
                OR EXISTS (SELECT 1 FROM candidate_tombstones t
                           WHERE t.feed_id = p_feed_id AND t.entry_key = e.key)) AS tombstoned
          FROM e LEFT JOIN candidate_sources s ON s.feed_id = p_feed_id AND s.entry_key = e.key
    ), edited AS (
        SELECT * FROM known
         WHERE NOT tombstoned AND cid IS NOT NULL AND old_hash IS DISTINCT FROM hash
    ), changed AS (
        UPDATE candidates c SET
            title = edited.title, summary_html = edited.summary_html, excerpt = edited.excerpt,
            author = edited.author, categories = string_to_array(edited.categories, E'\x1f'),
            changed_at = now()
          FROM edited WHERE c.id = edited.cid
    ), rehashed AS (
        UPDATE candidate_sources s SET content_hash = edited.hash
          FROM edited WHERE s.feed_id = p_feed_id AND s.entry_key = edited.key
    )
    SELECT array_agg(key),
           array_agg(CASE WHEN tombstoned THEN NULL ELSE cid END),
           array_agg(CASE WHEN tombstoned THEN 'tombstoned'
                          WHEN old_hash IS DISTINCT FROM hash THEN 'updated'
                          ELSE 'unchanged' END)
      INTO done_keys, done_ids, done_outcomes
      FROM known WHERE tombstoned OR cid IS NOT NULL;
    RETURN QUERY SELECT * FROM unnest(done_keys, done_ids, done_outcomes);
    done_keys := coalesce(done_keys, '{}');

    -- New articles, with ids taken up front so that each inserted row is
    -- known by its entry even without a link (url_key NULL).
    WITH fresh AS MATERIALIZED (
        SELECT e.*, nextval(pg_get_serial_sequence('candidates', 'id')) AS id
          FROM unnest(p_keys, p_urls, p_url_keys, p_titles, p_summaries, p_excerpts, p_authors,
                      p_categories, p_published, p_hashes)
               AS e(key, url, url_key, title, summary_html, excerpt, author, categories,
                    published_at, hash)
         WHERE NOT e.key = ANY (done_keys)
    ), inserted AS (
        INSERT INTO candidates AS c (id, url, url_key, title, summary_html, excerpt, author,
                                     categories, published_at)
        OVERRIDING SYSTEM VALUE
        SELECT id, url, url_key, title, summary_html, excerpt, author,
               string_to_array(categories, E'\x1f'), published_at
          FROM fresh
        ON CONFLICT (url_key) DO NOTHING
        RETURNING c.id
    ), sourced AS (
        INSERT INTO candidate_sources (feed_id, entry_key, candidate_id, content_hash)
        SELECT p_feed_id, fresh.key, fresh.id, fresh.hash FROM fresh JOIN inserted USING (id)
        ON CONFLICT DO NOTHING
    )
    SELECT array_agg(fresh.key), array_agg(fresh.id) INTO new_keys, new_ids
      FROM fresh JOIN inserted USING (id);
    PERFORM pg_notify('newsdesk_candidates',
                      json_build_object('candidate_id', id, 'feed_id', p_feed_id)::text)
       FROM unnest(new_ids) AS id;
    RETURN QUERY SELECT k, i, 'new' FROM unnest(new_keys, new_ids) AS n(k, i);
    done_keys := done_keys || coalesce(new_keys, '{}');

    -- The rest are articles already stored (another feed's, or another
    -- entry's of this batch): this feed becomes one of their sources.
    RETURN QUERY
    WITH linked AS (
        SELECT e.key, c.id, e.hash
          FROM unnest(p_keys, p_url_keys, p_hashes) AS e(key, url_key, hash)
          JOIN candidates c ON c.url_key = e.url_key
         WHERE NOT e.key = ANY (done_keys)
    ), sourced AS (
        INSERT INTO candidate_sources (feed_id, entry_key, candidate_id, content_hash)
        SELECT p_feed_id, key, id, hash FROM linked
        ON CONFLICT DO NOTHING
    )
    SELECT key, id, 'linked' FROM linked;
END;
$$;

DROP FUNCTION ingest_entries(bigint, jsonb);
