-- The daily "picks so far" summary of the current draft for webhooks: the
-- time of day it is sent (UTC; NULL: never) and the day it was last sent,
-- which also makes sure only one newsdesk process sends it each day.
CREATE TABLE webhook_schedule (
    id              boolean PRIMARY KEY DEFAULT true CHECK (id),
    summary_time    time,
    last_summary_on date
);
INSERT INTO webhook_schedule DEFAULT VALUES;
