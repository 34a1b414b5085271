-- Title keys now mix in the hash of the title's numbers (issue 18,
-- app/src/near_duplicates.rs): a word's key is shared only by titles with
-- the same numbers, which near-duplicates have, so a lookup no longer reads
-- every release of the week. The keys stored so far are of the old kind
-- and would never be found again: they go, and the poller gives the last
-- week's candidates new ones when it starts (near_duplicates::add_missing_keys).
DELETE FROM candidate_title_keys;
