-- Back issues imported from Markdown files: each upload (or CLI run) and
-- what became of every file in it, for the progress and report page.

CREATE TABLE issue_imports (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id   bigint REFERENCES members (id),
    total       integer NOT NULL CHECK (total >= 0),
    -- One report per file done, in the order they were done.
    reports     jsonb NOT NULL DEFAULT '[]',
    created_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    -- Why the batch stopped before its end (newsdesk was stopped).
    error       text
);

