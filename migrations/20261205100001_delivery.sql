-- Delivering published issues into a git repository (a Zenn or Hugo site).
--
-- The target: one row, kept by admins in Settings. Credentials are stored
-- as a reference (a key file, a token file or an environment variable's
-- name), never as the secret itself.
CREATE TABLE delivery_target (
    id              boolean PRIMARY KEY DEFAULT true CHECK (id),
    enabled         boolean NOT NULL DEFAULT false,
    -- An SSH or HTTPS remote, or a local path.
    remote          text NOT NULL DEFAULT '',
    branch          text NOT NULL DEFAULT 'main',
    path_template   text NOT NULL DEFAULT 'articles/{slug}.md',
    slug_template   text NOT NULL DEFAULT 'newsletter-{number}',
    author_name     text NOT NULL DEFAULT 'newsdesk',
    author_email    text NOT NULL DEFAULT 'newsdesk@localhost',
    credential_kind text NOT NULL DEFAULT 'none'
        CHECK (credential_kind IN ('none', 'ssh_key_file', 'token_file', 'token_env')),
    -- A path or an environment variable's name; never the secret.
    credential_ref  text NOT NULL DEFAULT '',
    version         integer NOT NULL DEFAULT 1,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    updated_by      bigint REFERENCES members (id)
);
INSERT INTO delivery_target DEFAULT VALUES;

-- One delivery per issue: publishing queues it, re-publishing queues it
-- again (a new generation), in the transaction that freezes the snapshot.
-- Workers claim due rows with `FOR UPDATE SKIP LOCKED` and a lease, like
-- the poller's feeds; a failure is retried with backoff.
CREATE TABLE git_deliveries (
    issue_id        bigint PRIMARY KEY REFERENCES issues (id) ON DELETE CASCADE,
    -- 'publish' or 'republish': the commit message says which.
    reason          text NOT NULL CHECK (reason IN ('publish', 'republish')),
    requested_by    bigint REFERENCES members (id),
    requested_at    timestamptz NOT NULL DEFAULT now(),
    -- Bumped by every publish; a worker records its outcome only for the
    -- generation it delivered, so a re-publish during a delivery is not lost.
    generation      integer NOT NULL DEFAULT 1,
    state           text NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'delivered', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    claimed_until   timestamptz,
    claimed_by      text,
    last_error      text,
    commit_id       text,
    -- The path written, for the state shown to members.
    path            text,
    delivered_at    timestamptz
);
CREATE INDEX git_deliveries_due ON git_deliveries (next_attempt_at)
    WHERE next_attempt_at IS NOT NULL;
