-- TCG Platform Certificates (docs/adr/0005-device-attestation.md, "Platform certificates").
--
-- Projections, rebuilt by replay: platform_certificates holds each unit's current platform certificate (the newest
-- unit.certify that carried one) with the comparison of its components with the units assembled in the platform at
-- that entry; unit_inspections gains what a platform certificate carried by a unit.inspect gave. The counts let the
-- discrepancy detectors find mismatches without parsing certificates; the live comparison (against what is assembled
-- now) is computed on read (org.fabtrail.custody.PlatformComparisons).

CREATE TABLE platform_certificates (
    manufacturer    TEXT        NOT NULL,
    serial          TEXT        NOT NULL,
    idx             BIGINT      NOT NULL,   -- the unit.certify entry that carried it
    certified_at    TIMESTAMPTZ NOT NULL,   -- its integrated time
    der             BYTEA       NOT NULL,   -- the attribute certificate, DER
    fingerprint     TEXT        NOT NULL,   -- lowercase hex SHA-256 of der
    ca_id           TEXT        NOT NULL,   -- the registered device CA that verified it (device_cas.ca_id)
    present         INTEGER     NOT NULL,   -- the comparison at idx
    missing         INTEGER     NOT NULL,
    unexpected      INTEGER     NOT NULL,
    not_comparable  INTEGER     NOT NULL,
    PRIMARY KEY (manufacturer, serial)
);
CREATE INDEX platform_certificates_mismatch_idx ON platform_certificates (idx) WHERE missing > 0 OR unexpected > 0;

ALTER TABLE unit_inspections
    ADD COLUMN platform_fingerprint TEXT,      -- the platform certificate the inspector read, if any
    ADD COLUMN platform_check       TEXT,      -- pass | the reason code of the first failed check
    ADD COLUMN platform_present     INTEGER,   -- the comparison, when the check passed
    ADD COLUMN platform_missing     INTEGER,
    ADD COLUMN platform_unexpected  INTEGER;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fabtrail_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON platform_certificates TO fabtrail_app;
    END IF;
END
$$;
