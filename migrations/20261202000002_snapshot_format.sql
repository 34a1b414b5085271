-- The format of a published issue's snapshot, so that a newsdesk reading a
-- snapshot of a shape it does not know says so instead of guessing (and
-- never shows the live rows in its place). Snapshots written so far are
-- format 1.
ALTER TABLE issues ADD COLUMN snapshot_format smallint;
UPDATE issues SET snapshot_format = 1 WHERE snapshot IS NOT NULL;
