-- Signing in: server-side sessions, invitations (and the first-run setup
-- link, which is an invitation to become the first admin), and the record of
-- failed sign-ins that throttling counts.

-- Only the SHA-256 of a session id is stored: a leaked table or backup does
-- not let anyone take over a session.
CREATE TABLE sessions (
    id_hash      bytea PRIMARY KEY,
    member_id    bigint NOT NULL REFERENCES members (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    -- The absolute limit; the idle limit is counted from last_seen_at.
    expires_at   timestamptz NOT NULL,
    client_addr  text,
    user_agent   text
);
CREATE INDEX sessions_member ON sessions (member_id);

CREATE TABLE invites (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash  bytea NOT NULL UNIQUE,
    -- 'setup' makes the first admin and names no one in advance; 'invite'
    -- is an admin's invitation for the member named here.
    purpose     text NOT NULL CHECK (purpose IN ('setup', 'invite')),
    name        text,
    name_key    text,
    role        text NOT NULL CHECK (role IN ('viewer', 'editor', 'publisher', 'admin')),
    created_by  bigint REFERENCES members (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    used_by     bigint REFERENCES members (id),
    revoked_at  timestamptz,
    CHECK ((purpose = 'setup') = (name IS NULL AND name_key IS NULL))
);
-- One open invitation per name.
CREATE UNIQUE INDEX invites_open_name ON invites (name_key)
    WHERE used_at IS NULL AND revoked_at IS NULL;

CREATE TABLE sign_in_failures (
    at          timestamptz NOT NULL DEFAULT now(),
    name_key    text NOT NULL,
    client_addr text NOT NULL
);
CREATE INDEX sign_in_failures_name ON sign_in_failures (name_key, at);
CREATE INDEX sign_in_failures_addr ON sign_in_failures (client_addr, at);
