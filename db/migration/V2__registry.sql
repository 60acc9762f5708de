-- Projections of the organisation and key registry entries (org.register, key.add, key.revoke).
-- Rebuilt from log_entries by replay; never the source of truth.

CREATE TABLE orgs (
    id              TEXT        PRIMARY KEY,
    name            TEXT        NOT NULL,
    country         TEXT        NOT NULL,
    roles           TEXT[]      NOT NULL,
    registered_idx  BIGINT      NOT NULL,
    registered_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE org_keys (
    key_id          TEXT        PRIMARY KEY,                 -- hex SHA-256 of the DER SubjectPublicKeyInfo
    org_id          TEXT        NOT NULL,                    -- 'operator' for the log operator's own keys
    algorithm       TEXT        NOT NULL,                    -- Ed25519 | ES256
    spki            BYTEA       NOT NULL,
    added_idx       BIGINT      NOT NULL,
    added_at        TIMESTAMPTZ NOT NULL,
    revoked_idx     BIGINT,
    revoked_at      TIMESTAMPTZ,
    revoke_reason   TEXT
);
CREATE INDEX org_keys_org_idx ON org_keys (org_id);
