-- OPML imports run in the background; their progress and outcome live here
-- so that any newsdesk process can show them.
CREATE TABLE opml_imports (
    id          uuid PRIMARY KEY,
    file_name   text NOT NULL,
    done        integer NOT NULL DEFAULT 0,
    total       integer NOT NULL DEFAULT 0,
    summary     jsonb,
    error       text,
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);
