-- Periodic jobs (retention) run once a day across all newsdesk processes:
-- whoever moves last_run_at forward runs the job.
CREATE TABLE maintenance_runs (
    job         text PRIMARY KEY,
    last_run_at timestamptz NOT NULL DEFAULT '-infinity'
);
INSERT INTO maintenance_runs (job) VALUES ('retention');
