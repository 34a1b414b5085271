-- Feed ingestion: per-feed settings, polling state and health, candidates
-- deduplicated across feeds, their sources, tombstones and filter rules.

ALTER TABLE feeds
    ADD COLUMN site_url              text,
    ADD COLUMN category              text CHECK (category IS NULL OR length(category) BETWEEN 1 AND 100),
    ADD COLUMN tags                  text[] NOT NULL DEFAULT '{}',
    ADD COLUMN poll_interval_minutes integer NOT NULL DEFAULT 60
                                     CHECK (poll_interval_minutes BETWEEN 5 AND 10080),
    ADD COLUMN enabled               boolean NOT NULL DEFAULT true,
    -- Conditional GET validators from the last 200 answer.
    ADD COLUMN etag                  text,
    ADD COLUMN last_modified         text,
    -- Scheduling. A claim is a lease: a crashed poller's claim expires.
    ADD COLUMN next_check_at         timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN claimed_until         timestamptz,
    ADD COLUMN claimed_by            text,
    -- Health, as shown on the Feeds page.
    ADD COLUMN last_attempt_at       timestamptz,
    ADD COLUMN last_success_at       timestamptz,
    ADD COLUMN last_http_status      integer,
    ADD COLUMN last_error            text,
    ADD COLUMN consecutive_failures  integer NOT NULL DEFAULT 0,
    -- A permanent redirect must be seen several times in a row before the
    -- stored URL follows it (one bad deploy should not move a feed).
    ADD COLUMN moved_to              text,
    ADD COLUMN moved_seen            integer NOT NULL DEFAULT 0,
    ADD COLUMN updated_at            timestamptz NOT NULL DEFAULT now();

CREATE INDEX feeds_due ON feeds (next_check_at) WHERE enabled;

-- One row per fetch attempt, for latency statistics and fail-slow
-- detection; the poller keeps the most recent ones per feed.
CREATE TABLE feed_fetches (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    feed_id         bigint NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    started_at      timestamptz NOT NULL,
    duration_ms     integer NOT NULL CHECK (duration_ms >= 0),
    http_status     integer,
    bytes           bigint NOT NULL DEFAULT 0,
    outcome         text NOT NULL CHECK (outcome IN ('fetched', 'not_modified', 'failed')),
    entries_new     integer NOT NULL DEFAULT 0,
    entries_updated integer NOT NULL DEFAULT 0,
    error           text
);
CREATE INDEX feed_fetches_recent ON feed_fetches (feed_id, started_at DESC);

CREATE TABLE candidates (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The link as published (http/https only), and its normalised form used
    -- to recognise the same article in several feeds. NULL without a link.
    url           text,
    url_key       text UNIQUE,
    title         text NOT NULL,
    summary_html  text NOT NULL DEFAULT '',
    excerpt       text NOT NULL DEFAULT '',
    author        text,
    categories    text[] NOT NULL DEFAULT '{}',
    published_at  timestamptz NOT NULL,
    first_seen_at timestamptz NOT NULL DEFAULT now(),
    changed_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX candidates_newest ON candidates (published_at DESC, id DESC);
CREATE INDEX candidates_first_seen ON candidates (first_seen_at);

-- Which feed entries a candidate came from. The entry key is deterministic:
-- the GUID, else the normalised link, else a hash of title and content.
CREATE TABLE candidate_sources (
    feed_id       bigint NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    entry_key     text NOT NULL,
    candidate_id  bigint NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    content_hash  text NOT NULL,
    first_seen_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (feed_id, entry_key)
);
CREATE INDEX candidate_sources_candidate ON candidate_sources (candidate_id);

-- Removed candidates must not come back with the next poll.
CREATE TABLE candidate_tombstones (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url_key    text,
    feed_id    bigint REFERENCES feeds (id) ON DELETE CASCADE,
    entry_key  text,
    reason     text NOT NULL,
    removed_at timestamptz NOT NULL DEFAULT now(),
    CHECK (url_key IS NOT NULL OR (feed_id IS NOT NULL AND entry_key IS NOT NULL))
);
CREATE UNIQUE INDEX candidate_tombstones_url ON candidate_tombstones (url_key) WHERE url_key IS NOT NULL;
CREATE UNIQUE INDEX candidate_tombstones_entry ON candidate_tombstones (feed_id, entry_key)
    WHERE feed_id IS NOT NULL AND entry_key IS NOT NULL;

-- Keep/block rules by regular expression; feed_id NULL means team-wide.
CREATE TABLE filter_rules (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    feed_id    bigint REFERENCES feeds (id) ON DELETE CASCADE,
    action     text NOT NULL CHECK (action IN ('keep', 'block')),
    field      text NOT NULL CHECK (field IN ('title', 'url', 'content', 'author', 'category')),
    pattern    text NOT NULL CHECK (length(pattern) BETWEEN 1 AND 500),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX filter_rules_feed ON filter_rules (feed_id);

-- Stores one feed's parsed entries in one round trip. `entries` is a JSON
-- array of objects with: key, url, url_key, title, summary_html, excerpt,
-- author, categories (array), published_at, hash. Returns one row per entry
-- with what happened to it: new, linked (a known article from another
-- feed), updated, unchanged or tombstoned. New candidates are announced on
-- the `newsdesk_candidates` channel (delivered at commit).
CREATE FUNCTION ingest_entries(p_feed_id bigint, p_entries jsonb)
RETURNS TABLE (entry_key text, candidate_id bigint, outcome text)
-- Plan each lookup afresh: a generic plan cached while the tables were
-- still empty (a new install that starts a big import) would scan them.
SET plan_cache_mode = force_custom_plan
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    e      jsonb;
    cid    bigint;
    old    text;
    key    text;
    ukey   text;
BEGIN
    FOR e IN SELECT value FROM jsonb_array_elements(p_entries) LOOP
        key  := e->>'key';
        ukey := e->>'url_key';
        entry_key := key;
        IF EXISTS (SELECT 1 FROM candidate_tombstones t
                   WHERE (ukey IS NOT NULL AND t.url_key = ukey)
                      OR (t.feed_id = p_feed_id AND t.entry_key = key)) THEN
            candidate_id := NULL; outcome := 'tombstoned'; RETURN NEXT; CONTINUE;
        END IF;

        SELECT s.candidate_id, s.content_hash INTO cid, old
          FROM candidate_sources s WHERE s.feed_id = p_feed_id AND s.entry_key = key;
        IF FOUND THEN
            candidate_id := cid;
            IF old IS DISTINCT FROM e->>'hash' THEN
                UPDATE candidates c SET
                    title = e->>'title', summary_html = e->>'summary_html', excerpt = e->>'excerpt',
                    author = e->>'author',
                    categories = ARRAY(SELECT jsonb_array_elements_text(e->'categories')),
                    changed_at = now()
                 WHERE c.id = cid;
                UPDATE candidate_sources s SET content_hash = e->>'hash'
                 WHERE s.feed_id = p_feed_id AND s.entry_key = key;
                outcome := 'updated';
            ELSE
                outcome := 'unchanged';
            END IF;
            RETURN NEXT; CONTINUE;
        END IF;

        cid := NULL;
        INSERT INTO candidates AS c (url, url_key, title, summary_html, excerpt, author, categories, published_at)
        VALUES (e->>'url', ukey, e->>'title', e->>'summary_html', e->>'excerpt', e->>'author',
                ARRAY(SELECT jsonb_array_elements_text(e->'categories')),
                (e->>'published_at')::timestamptz)
        ON CONFLICT (url_key) DO NOTHING
        RETURNING c.id INTO cid;
        IF cid IS NULL THEN
            SELECT c.id INTO cid FROM candidates c WHERE c.url_key = ukey;
            outcome := 'linked';
        ELSE
            outcome := 'new';
            PERFORM pg_notify('newsdesk_candidates',
                              json_build_object('candidate_id', cid, 'feed_id', p_feed_id)::text);
        END IF;
        INSERT INTO candidate_sources (feed_id, entry_key, candidate_id, content_hash)
        VALUES (p_feed_id, key, cid, e->>'hash')
        ON CONFLICT DO NOTHING;
        candidate_id := cid;
        RETURN NEXT;
    END LOOP;
END;
$$;
