-- Each issue has its own ordered list of sections, copied from the
-- newsletter's defaults when the draft is made. `sections` becomes the
-- list of saved sections: those with `archived_at IS NULL` are the
-- defaults (Settings); the others were removed from Settings or made for
-- one issue, and can be chosen again in the editor.

CREATE TABLE issue_sections (
    issue_id   bigint NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
    section_id bigint NOT NULL REFERENCES sections (id),
    -- Dense from 1; checked at commit, since a reorder moves several rows.
    position   integer NOT NULL,
    -- The title in this issue (a rename for one issue changes only this).
    title      text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    PRIMARY KEY (issue_id, section_id),
    CONSTRAINT issue_sections_position_unique UNIQUE (issue_id, position)
        DEFERRABLE INITIALLY DEFERRED
);

-- Every issue gets what it shows today: the sections in use and the
-- retired ones it has picks in, in the newsletter's order, with their
-- current titles. (Published issues show their snapshot, which this does
-- not touch.)
INSERT INTO issue_sections (issue_id, section_id, position, title)
SELECT i.id, s.id, row_number() OVER (PARTITION BY i.id ORDER BY s.position, s.id), s.title
FROM issues i JOIN sections s
  ON s.archived_at IS NULL
  OR EXISTS (SELECT 1 FROM picks p WHERE p.section_id = s.id AND p.issue_id = i.id);

-- A pick is in a section of its own issue.
ALTER TABLE picks ADD CONSTRAINT picks_issue_section
    FOREIGN KEY (issue_id, section_id) REFERENCES issue_sections (issue_id, section_id);
