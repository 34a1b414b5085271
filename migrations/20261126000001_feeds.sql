-- Sources the server polls. The URL is stored normalised (see
-- app/src/feeds/validate.rs) so that the unique index catches duplicates.
CREATE TABLE feeds (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url        text NOT NULL UNIQUE CHECK (length(url) <= 2048),
    title      text CHECK (title IS NULL OR length(title) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now()
);
