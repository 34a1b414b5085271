-- ingest_entry_batch also writes what near-duplicate marking decided
-- before the call (app/src/near_duplicates.rs, `plan`): each new entry's
-- near-duplicate (p_similar, one per entry, NULL for none) goes into its
-- row as it is inserted, and its title keys (p_title_keys, of entry
-- number p_key_entries, counted from 1) are stored with it. Before, new
-- rows were inserted and then updated with their near-duplicate: a second
-- version of a third of the benchmark's rows, every index written twice.
DROP FUNCTION ingest_entry_batch(bigint, text[], text[], text[], text[], text[], text[],
                                 text[], text[], timestamptz[], text[]);

CREATE FUNCTION ingest_entry_batch(
    p_feed_id bigint, p_keys text[], p_urls text[], p_url_keys text[], p_titles text[],
    p_summaries text[], p_excerpts text[], p_authors text[], p_categories text[],
    p_published timestamptz[], p_hashes text[],
    p_similar bigint[], p_key_entries integer[], p_title_keys bigint[])
RETURNS TABLE (entry_key text, candidate_id bigint, outcome text)
-- It was planned at every call (force_custom_plan), so that a plan cached
-- while the tables were small would not scan them once they had grown;
-- planning its statements was about a sixth of PostgreSQL's time per
-- stored entry. Its plans are now made once per connection and kept, and
-- they are the same whatever the tables hold: with sequential scans and
-- hash and merge joins off inside the function, every lookup is an index
-- probe per entry of the batch, which is the right plan for one feed's
-- entries on an empty table as on a full one.
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
SET enable_hashjoin = off
SET enable_mergejoin = off
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
                      p_categories, p_published, p_hashes, p_similar) WITH ORDINALITY
               AS e(key, url, url_key, title, summary_html, excerpt, author, categories,
                    published_at, hash, near, n)
         WHERE NOT e.key = ANY (done_keys)
    ), inserted AS (
        -- The near-duplicate is known before the row is written (one row
        -- version, not an insert and an update); one removed meanwhile
        -- is no near-duplicate.
        INSERT INTO candidates AS c (id, url, url_key, title, summary_html, excerpt, author,
                                     categories, published_at, similar_to)
        OVERRIDING SYSTEM VALUE
        SELECT id, url, url_key, title, summary_html, excerpt, author,
               string_to_array(categories, E'\x1f'), published_at,
               CASE WHEN near IS NOT NULL
                    THEN (SELECT o.id FROM candidates o WHERE o.id = near) END
          FROM fresh
        ON CONFLICT (url_key) DO NOTHING
        RETURNING c.id
    ), keyed AS (
        INSERT INTO candidate_title_keys (key, published_at, candidate_id)
        SELECT k.key, fresh.published_at, fresh.id
          FROM unnest(p_key_entries, p_title_keys) AS k(n, key)
          JOIN fresh ON fresh.n = k.n
          JOIN inserted ON inserted.id = fresh.id
        ON CONFLICT DO NOTHING
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
