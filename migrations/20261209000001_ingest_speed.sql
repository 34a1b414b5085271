-- Title keys now mix in the hash of the title's numbers (issue 18,
-- app/src/near_duplicates.rs): a word's key is shared only by titles with
-- the same numbers, which near-duplicates have, so a lookup no longer reads
-- every release of the week. The keys stored so far are of the old kind
-- and would never be found again: they go, and the poller gives the last
-- week's candidates new ones when it starts (near_duplicates::add_missing_keys).
DELETE FROM candidate_title_keys;

-- ingest_entry_batch was planned at every call (force_custom_plan), so
-- that a plan cached while the tables were small would not scan them once
-- they had grown; planning its statements was about a sixth of
-- PostgreSQL's time per stored entry. Its plans are now made once per
-- connection and kept, and they are the same whatever the tables hold:
-- with sequential scans and hash and merge joins off inside the function,
-- every lookup is an index probe per entry of the batch, which is the
-- right plan for one feed's entries on an empty table as on a full one.
ALTER FUNCTION ingest_entry_batch(bigint, text[], text[], text[], text[], text[], text[],
                                  text[], text[], timestamptz[], text[])
    SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION ingest_entry_batch(bigint, text[], text[], text[], text[], text[], text[],
                                  text[], text[], timestamptz[], text[])
    SET enable_seqscan = off;
ALTER FUNCTION ingest_entry_batch(bigint, text[], text[], text[], text[], text[], text[],
                                  text[], text[], timestamptz[], text[])
    SET enable_hashjoin = off;
ALTER FUNCTION ingest_entry_batch(bigint, text[], text[], text[], text[], text[], text[],
                                  text[], text[], timestamptz[], text[])
    SET enable_mergejoin = off;
