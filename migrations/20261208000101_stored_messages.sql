-- A delivery's last error as its catalogue text's name and values
-- (lang::model::Stored), worded in each reader's language when shown.
-- last_error keeps the English words, for the chat, psql and older rows.
ALTER TABLE git_deliveries ADD COLUMN last_error_stored jsonb;

-- The same for a feed's last failure and each fetch's error, written by
-- the poller (no reader); last_error and error keep the English words.
ALTER TABLE feeds ADD COLUMN last_error_stored jsonb;
ALTER TABLE feed_fetches ADD COLUMN error_stored jsonb;

-- And for a webhook post's failure, written by the sender (no reader).
ALTER TABLE webhook_posts ADD COLUMN last_error_stored jsonb;
