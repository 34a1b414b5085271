-- Publishing: the frozen snapshot of a published issue, corrections,
-- unpublishing, the size of the public feeds, and private feeds of the
-- draft's picks.

ALTER TABLE issues
    -- The issue as published (the renderer's document, JSON) and its HTML;
    -- replaced only by an explicit re-publish.
    ADD COLUMN snapshot      jsonb,
    ADD COLUMN snapshot_html text,
    ADD COLUMN published_by  bigint REFERENCES members (id),
    -- The last correction (re-publish); shown and carried by the feeds.
    ADD COLUMN revised_at    timestamptz,
    -- Unpublished by an admin: hidden from the archive and the feeds.
    ADD COLUMN hidden_at     timestamptz;
CREATE INDEX issues_published ON issues (number DESC)
    WHERE state = 'published' AND hidden_at IS NULL;

ALTER TABLE newsletter
    ADD COLUMN feed_size integer NOT NULL DEFAULT 20 CHECK (feed_size BETWEEN 1 AND 100);

-- A member's private feed of the current draft's picks (`/picks.xml?token=`):
-- read-only, so it may sit in a feed reader's URL. Stored as a SHA-256.
CREATE TABLE feed_tokens (
    member_id  bigint PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
