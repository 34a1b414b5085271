-- The UI language and time zone a member chose (NULL: follow the browser),
-- and the language the newsletter itself is written in (the archive's
-- <html lang>, the feeds' xml:lang and <language>), which is not the UI's.
ALTER TABLE members
    ADD COLUMN language text CHECK (language IN ('en', 'ja')),
    ADD COLUMN time_zone text CHECK (char_length(time_zone) BETWEEN 1 AND 64);
ALTER TABLE newsletter
    ADD COLUMN language text NOT NULL DEFAULT 'en'
        CHECK (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$');
