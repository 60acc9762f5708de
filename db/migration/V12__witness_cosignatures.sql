-- Witness cosignatures (c2sp.org/tlog-cosignature v1) on the log's checkpoints, as the witnesses answered them
-- (c2sp.org/tlog-witness add-checkpoint). Each was verified with the witness's configured key before it was stored.
-- The served cosigned checkpoint is the checkpoint's note followed by these lines. Append-only, like the ledger:
-- a cosignature is evidence of what a witness saw.
CREATE TABLE checkpoint_cosignatures (
    tree_size       BIGINT      NOT NULL REFERENCES checkpoints (tree_size),
    witness         TEXT        NOT NULL,                 -- the witness's vkey (name+keyid+key, type 0x04)
    signature_line  TEXT        NOT NULL,                 -- "— <name> <base64>", verbatim, without its newline
    cosigned_at     TIMESTAMPTZ NOT NULL,                 -- the cosignature's own timestamp
    received_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tree_size, witness)
);
-- The newest cosignature of each witness (what size the witness holds, at start).
CREATE INDEX checkpoint_cosignatures_witness_idx ON checkpoint_cosignatures (witness, tree_size DESC);

CREATE TRIGGER checkpoint_cosignatures_append_only BEFORE UPDATE OR DELETE ON checkpoint_cosignatures
    FOR EACH ROW EXECUTE FUNCTION fabtrail_reject_change();
CREATE TRIGGER checkpoint_cosignatures_no_truncate BEFORE TRUNCATE ON checkpoint_cosignatures
    FOR EACH STATEMENT EXECUTE FUNCTION fabtrail_reject_change();
