-- OPML imports as durable jobs: every feed of the file is a row, claimed in
-- small batches by whichever newsdesk process works on imports (`FOR
-- UPDATE SKIP LOCKED` with a lease, like the poller's feeds) and done in a
-- transaction of its own, so an import interrupted by a restart resumes
-- where it stopped and adds each feed once.
CREATE TABLE opml_import_feeds (
    import_id     uuid NOT NULL REFERENCES opml_imports (id) ON DELETE CASCADE,
    -- Order in the file; the report lists refused URLs in this order.
    position      integer NOT NULL,
    -- As the file has them; the URL is checked and normalised when done.
    url           text NOT NULL,
    title         text,
    category      text,
    site_url      text,
    -- NULL until done.
    outcome       text CHECK (outcome IN ('added', 'duplicate', 'invalid')),
    -- Why an invalid URL was refused, in plain words.
    reason        text,
    -- Claims so far; a feed that fails (or takes its process down) every
    -- time stops the import with its error instead of being retried forever.
    attempts      integer NOT NULL DEFAULT 0,
    last_error    text,
    claimed_until timestamptz,
    claimed_by    text,
    PRIMARY KEY (import_id, position)
);
CREATE INDEX opml_import_feeds_pending ON opml_import_feeds (import_id, position)
    WHERE outcome IS NULL;

-- Imports running when this version was installed ran in a task that is
-- gone, and their feeds were never stored here: they cannot resume.
UPDATE opml_imports
   SET error = 'The import was interrupted by a restart of newsdesk. Import the file again; feeds already added are skipped.',
       finished_at = now()
 WHERE finished_at IS NULL;
