-- Team accounts: members with a role, their API tokens, and the audit log.

CREATE TABLE members (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The name as shown in attributions (trimmed, NFKC-normalised), and its
    -- lowercased form, which is what makes names unique: "Ａｌｉｃｅ" and
    -- "alice" are the same member (see app/src/accounts/names.rs).
    name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    name_key       text NOT NULL UNIQUE,
    role           text NOT NULL CHECK (role IN ('viewer', 'editor', 'publisher', 'admin')),
    -- An argon2id PHC string.
    password_hash  text NOT NULL,
    active         boolean NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    deactivated_at timestamptz,
    CHECK (active = (deactivated_at IS NULL))
);

-- Bearer tokens for /api/v1. Only the SHA-256 of a token is stored; the
-- token itself is shown once, at creation.
CREATE TABLE api_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id    bigint NOT NULL REFERENCES members (id),
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    token_hash   bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_tokens_member ON api_tokens (member_id);

-- Who did what, for admins. Rows are only ever appended; actor_id is NULL
-- for the command line and for anonymous attempts (failed sign-ins).
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor_id    bigint REFERENCES members (id),
    action      text NOT NULL,
    subject     text NOT NULL DEFAULT '',
    detail      jsonb NOT NULL DEFAULT '{}',
    client_addr text
);
CREATE INDEX audit_log_at ON audit_log (at DESC);
