-- A delivery's last error as its catalogue text's name and values
-- (lang::model::Stored), worded in each reader's language when shown.
-- last_error keeps the English words, for the chat, psql and older rows.
ALTER TABLE git_deliveries ADD COLUMN last_error_stored jsonb;
