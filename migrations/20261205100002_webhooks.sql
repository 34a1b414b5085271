-- Outgoing webhooks to the team chat: what to tell, and where.
CREATE TABLE webhooks (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Slack's incoming-webhook URLs are themselves the credential: shown
    -- back only as scheme and host.
    url        text NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('slack', 'json')),
    -- The key of the HMAC-SHA256 signature of generic JSON posts (shown
    -- once, when the webhook is made).
    secret     text NOT NULL,
    events     text[] NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by bigint REFERENCES members (id)
);

-- One post of one event to one webhook: queued in the transaction that
-- made the event (publishing), claimed by workers with `FOR UPDATE SKIP
-- LOCKED` and a lease, retried with backoff. The body is fixed when the
-- event happens, so every attempt sends the same thing. The newest rows
-- of each webhook are its log.
CREATE TABLE webhook_posts (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    webhook_id      bigint NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event           text NOT NULL,
    payload         jsonb NOT NULL,
    state           text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz DEFAULT now(),
    claimed_until   timestamptz,
    claimed_by      text,
    response_status integer,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz
);
CREATE INDEX webhook_posts_due ON webhook_posts (next_attempt_at)
    WHERE next_attempt_at IS NOT NULL;
CREATE INDEX webhook_posts_log ON webhook_posts (webhook_id, id DESC);
