-- Device identities and attestation (docs/adr/0004-device-attestation.md).
--
-- Projections, rebuilt by replay like those of V3: device_cas (ca.add, ca.revoke, ca.crl), device_keys (the device
-- key of every certified unit) and unit_inspections (what each unit.inspect found).
--
-- Not a projection: attestation_challenges. Challenges are issued by the API, outside the log; a unit.inspect entry
-- names its challenge by id and the rules read it, so the rows are kept for good (never truncated) and a replay
-- re-derives only used_idx.

CREATE TABLE device_cas (
    org_id           TEXT        NOT NULL,   -- the manufacturer that registered it
    ca_id            TEXT        NOT NULL,   -- lowercase hex SHA-256 of der
    der              BYTEA       NOT NULL,
    subject          TEXT        NOT NULL,   -- RFC 4514
    added_idx        BIGINT      NOT NULL,
    added_at         TIMESTAMPTZ NOT NULL,
    revoked_idx      BIGINT,
    revoked_at       TIMESTAMPTZ,
    crl              BYTEA,                  -- the newest CRL registered for this CA (ca.crl), DER
    crl_this_update  TIMESTAMPTZ,
    crl_number       NUMERIC,
    crl_idx          BIGINT,
    PRIMARY KEY (org_id, ca_id)
);

-- A device key belongs to one unit for good: a second unit presenting it is a cloned identity.
CREATE TABLE device_keys (
    key_id        TEXT   PRIMARY KEY,        -- lowercase hex SHA-256 of the device key's SubjectPublicKeyInfo
    manufacturer  TEXT   NOT NULL,
    serial        TEXT   NOT NULL,
    bound_idx     BIGINT NOT NULL
);

-- Every inspection and what it found, for the unit page and the discrepancy workflow (a later issue).
CREATE TABLE unit_inspections (
    idx                 BIGINT      PRIMARY KEY,
    manufacturer        TEXT        NOT NULL,
    serial              TEXT        NOT NULL,
    inspector           TEXT        NOT NULL,   -- the entry's actor
    inspected_at        TIMESTAMPTZ NOT NULL,   -- integrated time
    result              TEXT        NOT NULL,   -- the inspector's: consistent | discrepancy
    site_org            TEXT,
    site                TEXT,
    custodian           TEXT,
    recorded_custodian  TEXT        NOT NULL,   -- what the ledger said at that index
    recorded_site       TEXT        NOT NULL,
    attestation         TEXT,                   -- pass | fail | null (no attestation)
    reasons             TEXT[]      NOT NULL,
    findings            TEXT[]      NOT NULL    -- attestation-failed, site-differs, custodian-differs, reported-discrepancy
);
CREATE INDEX unit_inspections_unit_idx ON unit_inspections (manufacturer, serial, idx);
CREATE INDEX unit_inspections_findings_idx ON unit_inspections (idx) WHERE cardinality(findings) > 0;

CREATE TABLE attestation_challenges (
    id            UUID        PRIMARY KEY,
    manufacturer  TEXT        NOT NULL,
    serial        TEXT        NOT NULL,
    requester     TEXT        NOT NULL,      -- organisation id, or 'operator'
    challenge     BYTEA       NOT NULL,      -- 32 random bytes
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    used_idx      BIGINT                     -- the unit.inspect entry that used it
);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fabtrail_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON device_cas, device_keys, unit_inspections, attestation_challenges
            TO fabtrail_app;
    END IF;
END
$$;
