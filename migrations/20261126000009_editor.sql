-- The issue editor: newsletter settings, notes on picks, revisions,
-- removed picks kept for undo, presence, and the meeting's current pick.

-- The newsletter's settings: exactly one row.
CREATE TABLE newsletter (
    id              boolean PRIMARY KEY DEFAULT true CHECK (id),
    name            text NOT NULL DEFAULT 'Weekly' CHECK (length(name) BETWEEN 1 AND 100),
    title_template  text NOT NULL DEFAULT '{headline}: {name} ({date}号)'
                    CHECK (length(title_template) BETWEEN 1 AND 300),
    intro_template  text NOT NULL DEFAULT '' CHECK (length(intro_template) <= 20000),
    footer_template text NOT NULL DEFAULT '' CHECK (length(footer_template) <= 20000),
    -- ISO weekday of publication: 1 = Monday … 7 = Sunday.
    publish_weekday smallint NOT NULL DEFAULT 5 CHECK (publish_weekday BETWEEN 1 AND 7),
    -- chrono/strftime format of {date}.
    date_format     text NOT NULL DEFAULT '%Y-%m-%d' CHECK (length(date_format) BETWEEN 1 AND 50),
    public_base_url text NOT NULL DEFAULT '' CHECK (length(public_base_url) <= 300),
    front_matter    text NOT NULL DEFAULT 'none' CHECK (front_matter IN ('none', 'yaml', 'zenn')),
    -- Extra YAML front matter, one `key: value` per line.
    yaml_fields     text NOT NULL DEFAULT '' CHECK (length(yaml_fields) <= 5000),
    zenn_emoji      text NOT NULL DEFAULT '📰' CHECK (length(zenn_emoji) <= 20),
    zenn_type       text NOT NULL DEFAULT 'tech' CHECK (zenn_type IN ('tech', 'idea')),
    -- Comma-separated.
    zenn_topics     text NOT NULL DEFAULT '' CHECK (length(zenn_topics) <= 500),
    zenn_published  boolean NOT NULL DEFAULT true,
    version         integer NOT NULL DEFAULT 1,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    updated_by      bigint REFERENCES members (id)
);
INSERT INTO newsletter DEFAULT VALUES;

-- A pick can be moved on to the next issue before this one is published,
-- so there may be several drafts; the current one is the lowest-numbered.
DROP INDEX issues_one_draft;
ALTER TABLE issues
    ADD COLUMN updated_at      timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN updated_by      bigint REFERENCES members (id),
    -- Meeting mode: the pick the presenter shows now.
    ADD COLUMN meeting_pick_id bigint,
    ADD COLUMN meeting_by      bigint REFERENCES members (id);
CREATE INDEX issues_drafts ON issues (number) WHERE state = 'draft';

ALTER TABLE picks
    ADD COLUMN updated_by bigint REFERENCES members (id),
    -- Positions are dense per section and never shared; checked at commit,
    -- since a reorder moves several rows.
    ADD CONSTRAINT picks_position_unique UNIQUE (issue_id, section_id, position)
        DEFERRABLE INITIALLY DEFERRED;

-- The team's discussion of a pick; one can be promoted into the commentary.
CREATE TABLE pick_notes (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pick_id     bigint NOT NULL REFERENCES picks (id) ON DELETE CASCADE,
    member_id   bigint NOT NULL REFERENCES members (id),
    body        text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    created_at  timestamptz NOT NULL DEFAULT now(),
    promoted_at timestamptz
);
CREATE INDEX pick_notes_pick ON pick_notes (pick_id, id);

-- Saved values of titles and texts, newest last. `pick_id` has no foreign
-- key: a removed pick that is restored keeps its id and its history.
CREATE TABLE revisions (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    issue_id   bigint NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
    pick_id    bigint,
    field      text NOT NULL CHECK (field IN ('headline', 'intro', 'title', 'commentary')),
    value      text NOT NULL,
    member_id  bigint REFERENCES members (id),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX revisions_of ON revisions (issue_id, pick_id, field, id);

-- Removed picks with their notes, so removal can be undone.
CREATE TABLE pick_trash (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pick       jsonb NOT NULL,
    notes      jsonb NOT NULL,
    removed_by bigint REFERENCES members (id),
    removed_at timestamptz NOT NULL DEFAULT now()
);

-- Who has an issue open, and which pick they are editing. A row lives
-- while its browser tab sends heartbeats; lost on a crash, which is fine.
CREATE UNLOGGED TABLE presence (
    client_id    text PRIMARY KEY CHECK (length(client_id) BETWEEN 8 AND 64),
    issue_id     bigint NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
    member_id    bigint NOT NULL REFERENCES members (id),
    editing_pick bigint,
    seen_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX presence_issue ON presence (issue_id);
