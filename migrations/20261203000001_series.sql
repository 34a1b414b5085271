-- Taking over a running series: the next issue number, a closing part,
-- pick layouts, line breaks as the target renders them, and the Zenn
-- front matter a Publication needs.

ALTER TABLE newsletter
    -- The number the next draft gets, for a series that began elsewhere;
    -- never below the last issue's number + 1.
    ADD COLUMN next_number integer CHECK (next_number > 0),
    -- NULL: follow the front matter (a card for Zenn, a linked heading
    -- otherwise).
    ADD COLUMN pick_layout text
        CHECK (pick_layout IN ('linked_heading', 'heading_card', 'heading_quote')),
    -- NULL: follow the front matter (Zenn keeps line breaks).
    ADD COLUMN line_breaks boolean,
    ADD COLUMN closing_heading_template text NOT NULL DEFAULT ''
        CHECK (length(closing_heading_template) <= 100),
    ADD COLUMN closing_template text NOT NULL DEFAULT ''
        CHECK (length(closing_template) <= 20000),
    ADD COLUMN zenn_publication text NOT NULL DEFAULT ''
        CHECK (length(zenn_publication) <= 100),
    -- `hh:mm`: published_at is the issue's date at that time; '' leaves
    -- published_at out.
    ADD COLUMN zenn_publish_time text NOT NULL DEFAULT ''
        CHECK (zenn_publish_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' OR zenn_publish_time = '');
ALTER TABLE newsletter DROP CONSTRAINT newsletter_front_matter_check;
ALTER TABLE newsletter ADD CONSTRAINT newsletter_front_matter_check
    CHECK (front_matter IN ('none', 'heading', 'yaml', 'zenn'));

ALTER TABLE issues
    ADD COLUMN closing_heading text NOT NULL DEFAULT '' CHECK (length(closing_heading) <= 100),
    ADD COLUMN closing         text NOT NULL DEFAULT '';

ALTER TABLE revisions DROP CONSTRAINT revisions_field_check;
ALTER TABLE revisions ADD CONSTRAINT revisions_field_check CHECK (field IN
    ('headline', 'intro', 'closing_heading', 'closing', 'title', 'commentary', 'url'));

ALTER TABLE picks
    -- NULL: the newsletter's layout.
    ADD COLUMN layout     text
        CHECK (layout IN ('linked_heading', 'heading_card', 'heading_quote')),
    -- The article's own title and excerpt, for the quote layout.
    ADD COLUMN link_title text NOT NULL DEFAULT '' CHECK (length(link_title) <= 500),
    ADD COLUMN excerpt    text NOT NULL DEFAULT '' CHECK (length(excerpt) <= 2000);
UPDATE picks p SET link_title = c.title, excerpt = left(c.excerpt, 2000)
FROM candidates c WHERE c.id = p.candidate_id;
