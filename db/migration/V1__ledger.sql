-- Fabtrail ledger: the append-only log, its Merkle tree and its signed checkpoints.
-- Everything else in the database is a projection of log_entries and can be rebuilt from it.

-- One row per log index. idx is dense from 0 and never reused.
CREATE TABLE log_entries (
    idx              BIGINT      PRIMARY KEY CHECK (idx >= 0),
    entry_id         UUID        NOT NULL UNIQUE,           -- payload.id: the idempotency key
    entry_type       TEXT        NOT NULL,
    actor            TEXT        NOT NULL,
    key_id           TEXT        NOT NULL,
    payload_hash     BYTEA       NOT NULL CHECK (octet_length(payload_hash) = 32), -- SHA-256 of the canonical payload
    leaf             BYTEA       NOT NULL,                  -- RFC 8785 canonical {"envelope","index","integratedTime"}
    leaf_hash        BYTEA       NOT NULL CHECK (octet_length(leaf_hash) = 32),    -- SHA-256(0x00 || leaf)
    integrated_time  TIMESTAMPTZ NOT NULL
);
CREATE INDEX log_entries_actor_idx ON log_entries (actor, idx);

-- Every complete subtree of the Merkle tree above the leaves (level >= 1); level 0 is log_entries.leaf_hash.
-- Node (level, idx) covers leaves [idx * 2^level, (idx + 1) * 2^level). Proofs read O(log n) of these rows.
CREATE TABLE tree_nodes (
    level  SMALLINT NOT NULL CHECK (level BETWEEN 1 AND 63),
    idx    BIGINT   NOT NULL CHECK (idx >= 0),
    hash   BYTEA    NOT NULL CHECK (octet_length(hash) = 32),
    PRIMARY KEY (level, idx)
);

-- The single tree-head row. Sequencers lock it (SELECT ... FOR UPDATE) so two writers can never fork the log.
CREATE TABLE tree_head (
    id          SMALLINT    PRIMARY KEY CHECK (id = 1),
    tree_size   BIGINT      NOT NULL CHECK (tree_size >= 0),
    root_hash   BYTEA       NOT NULL CHECK (octet_length(root_hash) = 32),
    updated_at  TIMESTAMPTZ NOT NULL
);
INSERT INTO tree_head (id, tree_size, root_hash, updated_at)
VALUES (1, 0, decode('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex'), now());

-- Every checkpoint the log has published, one per committed batch.
CREATE TABLE checkpoints (
    tree_size   BIGINT      PRIMARY KEY CHECK (tree_size >= 0),
    root_hash   BYTEA       NOT NULL CHECK (octet_length(root_hash) = 32),
    note        TEXT        NOT NULL,                       -- the signed checkpoint, verbatim
    created_at  TIMESTAMPTZ NOT NULL
);

-- Append-only all the way down: the database itself refuses to change history.
CREATE FUNCTION fabtrail_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'fabtrail: % on % is not allowed; the ledger is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE FUNCTION fabtrail_tree_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.tree_size <= OLD.tree_size THEN
        RAISE EXCEPTION 'fabtrail: the tree head may only grow (from % to %)', OLD.tree_size, NEW.tree_size
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER log_entries_append_only BEFORE UPDATE OR DELETE ON log_entries
    FOR EACH ROW EXECUTE FUNCTION fabtrail_reject_change();
CREATE TRIGGER log_entries_no_truncate BEFORE TRUNCATE ON log_entries
    FOR EACH STATEMENT EXECUTE FUNCTION fabtrail_reject_change();
CREATE TRIGGER tree_nodes_append_only BEFORE UPDATE OR DELETE ON tree_nodes
    FOR EACH ROW EXECUTE FUNCTION fabtrail_reject_change();
CREATE TRIGGER tree_nodes_no_truncate BEFORE TRUNCATE ON tree_nodes
    FOR EACH STATEMENT EXECUTE FUNCTION fabtrail_reject_change();
CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON checkpoints
    FOR EACH ROW EXECUTE FUNCTION fabtrail_reject_change();
CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION fabtrail_reject_change();
CREATE TRIGGER tree_head_no_delete BEFORE DELETE ON tree_head
    FOR EACH ROW EXECUTE FUNCTION fabtrail_reject_change();
CREATE TRIGGER tree_head_no_truncate BEFORE TRUNCATE ON tree_head
    FOR EACH STATEMENT EXECUTE FUNCTION fabtrail_reject_change();
CREATE TRIGGER tree_head_forward BEFORE UPDATE ON tree_head
    FOR EACH ROW EXECUTE FUNCTION fabtrail_tree_head_forward();

-- When the application connects as a dedicated runtime role (see deploy/postgres), it may only append.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fabtrail_app') THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON log_entries, tree_nodes, checkpoints FROM fabtrail_app;
        REVOKE DELETE, TRUNCATE ON tree_head FROM fabtrail_app;
        GRANT SELECT, INSERT ON log_entries, tree_nodes, checkpoints TO fabtrail_app;
        GRANT SELECT, UPDATE ON tree_head TO fabtrail_app;
    END IF;
END
$$;
