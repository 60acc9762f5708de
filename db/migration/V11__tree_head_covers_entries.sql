-- The tree head may only move together with the entries it covers. V1 let it grow by any amount, so a role that
-- may update it (the runtime role fabtrail_app) could announce a tree of a million entries that do not exist.
-- From now on a new head of size n is accepted only when, in the same transaction or before:
--   * every entry from the old size to n - 1 is in log_entries (the count over that primary-key range equals
--     the number of new entries, so there is no hole),
--   * no entry lies at n or beyond, and
--   * a checkpoint of exactly that size and root is stored.
-- The sequencer appends entries, nodes and the checkpoint before it moves the head, in one transaction. The check
-- reads the primary-key index over the new batch only (at most one batch of rows, plus two point lookups), once
-- per batch.
CREATE OR REPLACE FUNCTION fabtrail_tree_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    present BIGINT;
BEGIN
    IF NEW.tree_size <= OLD.tree_size THEN
        RAISE EXCEPTION 'fabtrail: the tree head may only grow (from % to %)', OLD.tree_size, NEW.tree_size
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT count(*) INTO present FROM log_entries WHERE idx >= OLD.tree_size AND idx < NEW.tree_size;
    IF present <> NEW.tree_size - OLD.tree_size THEN
        RAISE EXCEPTION 'fabtrail: the tree head may only cover entries that are in the log (size % needs entries % to %, % of % are there)',
            NEW.tree_size, OLD.tree_size, NEW.tree_size - 1, present, NEW.tree_size - OLD.tree_size
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF EXISTS (SELECT 1 FROM log_entries WHERE idx >= NEW.tree_size) THEN
        RAISE EXCEPTION 'fabtrail: the tree head must cover every entry in the log (an entry lies beyond size %)',
            NEW.tree_size
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM checkpoints WHERE tree_size = NEW.tree_size AND root_hash = NEW.root_hash) THEN
        RAISE EXCEPTION 'fabtrail: the tree head may only move to a tree that has a checkpoint (size %)', NEW.tree_size
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
