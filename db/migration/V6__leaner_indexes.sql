-- Measured on the sequencer's write path (docs/benchmarks.md): every index costs on each of thousands of
-- inserts a second. These two serve no query: the feed walks log_entries by idx, and unit_parties is always
-- read with the organisation first (its primary key).
DROP INDEX IF EXISTS log_entries_actor_idx;
DROP INDEX IF EXISTS unit_parties_unit_idx;
