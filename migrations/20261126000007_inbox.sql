-- The triage inbox: the team's state of each candidate, +1 votes, search,
-- near-duplicate marks; and the first pieces of the issue editor that
-- picking needs (sections, issues, picks).

-- Trigram indexes serve substring search (ILIKE '%…%') in any script,
-- Japanese included: the private cluster runs with C.UTF-8, where kana and
-- kanji are letters to pg_trgm.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE candidates
    -- 'picked' is not stored: a candidate is picked while a pick refers to it.
    ADD COLUMN state            text NOT NULL DEFAULT 'new'
                                CHECK (state IN ('new', 'seen', 'dismissed')),
    ADD COLUMN state_changed_at timestamptz,
    ADD COLUMN state_changed_by bigint REFERENCES members (id),
    -- The number of +1s, kept with the row so the inbox can sort by it
    -- with keyset pagination.
    ADD COLUMN votes            integer NOT NULL DEFAULT 0 CHECK (votes >= 0),
    -- A member who added the link by hand.
    ADD COLUMN added_by         bigint REFERENCES members (id),
    -- A candidate from another feed with a very similar title, found when
    -- this one arrived.
    ADD COLUMN similar_to       bigint REFERENCES candidates (id) ON DELETE SET NULL;

CREATE INDEX candidates_search ON candidates USING gin ((title || ' ' || excerpt) gin_trgm_ops);
CREATE INDEX candidates_title_trgm ON candidates USING gin (title gin_trgm_ops);
CREATE INDEX candidates_state_newest ON candidates (state, published_at DESC, id DESC);
CREATE INDEX candidates_votes ON candidates (votes DESC, published_at DESC, id DESC) WHERE votes > 0;
CREATE INDEX candidates_categories ON candidates USING gin (categories);
CREATE INDEX candidate_sources_feed ON candidate_sources (feed_id, candidate_id);

-- "I want to talk about this": one +1 per member and candidate.
CREATE TABLE candidate_votes (
    candidate_id bigint NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    member_id    bigint NOT NULL REFERENCES members (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (candidate_id, member_id)
);
CREATE INDEX candidate_votes_member ON candidate_votes (member_id);

-- The newsletter's sections, in order. Removed sections are archived, so
-- picks of past issues keep theirs.
CREATE TABLE sections (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    position    integer NOT NULL,
    archived_at timestamptz
);
INSERT INTO sections (title, position) VALUES
    ('👀 Notable Articles', 1),
    ('🛠️ Tools, Frameworks, Libraries', 2),
    ('🤝 Events', 3);

CREATE TABLE issues (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number       integer NOT NULL UNIQUE CHECK (number > 0),
    issue_date   date NOT NULL,
    state        text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'published')),
    headline     text NOT NULL DEFAULT '',
    intro        text NOT NULL DEFAULT '',
    published_at timestamptz,
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((state = 'published') = (published_at IS NOT NULL))
);
-- There is at most one draft: "the current issue".
CREATE UNIQUE INDEX issues_one_draft ON issues ((true)) WHERE state = 'draft';

CREATE TABLE picks (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    issue_id     bigint NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
    section_id   bigint NOT NULL REFERENCES sections (id),
    position     integer NOT NULL,
    candidate_id bigint REFERENCES candidates (id) ON DELETE SET NULL,
    url          text NOT NULL,
    -- Normalised like candidates.url_key: what "already covered" compares.
    url_key      text,
    title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    brought_by   bigint REFERENCES members (id),
    commentary   text NOT NULL DEFAULT '',
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (issue_id, candidate_id)
);
CREATE INDEX picks_issue ON picks (issue_id, section_id, position);
CREATE INDEX picks_candidate ON picks (candidate_id);
CREATE INDEX picks_url_key ON picks (url_key);
