-- Projections of custody entries: sites, units, transfers, and the indexes behind history and visibility.
-- Rebuilt from log_entries by replay (java -jar quarkus-run.jar rebuild); never the source of truth.

CREATE TABLE sites (
    org_id          TEXT        NOT NULL,
    id              TEXT        NOT NULL,
    name            TEXT        NOT NULL,
    country         TEXT        NOT NULL,
    address         TEXT        NOT NULL,
    latitude        DOUBLE PRECISION,
    longitude       DOUBLE PRECISION,
    registered_idx  BIGINT      NOT NULL,
    registered_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, id)
);

-- A unit is identified by its manufacturer and its serial (case-sensitive, never normalised).
CREATE TABLE units (
    manufacturer         TEXT        NOT NULL,
    serial               TEXT        NOT NULL,
    kind                 TEXT        NOT NULL,   -- accelerator | server | board | module
    model                TEXT        NOT NULL,
    eccn                 TEXT,
    status               TEXT        NOT NULL,   -- active | lost | stolen | destroyed | decommissioned
    custodian            TEXT        NOT NULL,   -- the organisation holding it (custody moves only on receipt)
    site                 TEXT        NOT NULL,   -- the custodian's site where it is
    parent_manufacturer  TEXT,                   -- set while assembled into another unit
    parent_serial        TEXT,
    pending_transfer     UUID,                   -- the dispatch it is in transit on
    device_certificate   BYTEA,                  -- DER of the device identity certificate, if registered
    registered_idx       BIGINT      NOT NULL,
    registered_at        TIMESTAMPTZ NOT NULL,
    last_idx             BIGINT      NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (manufacturer, serial)
);
CREATE INDEX units_custodian_idx ON units (custodian, manufacturer, serial);
CREATE INDEX units_parent_idx ON units (parent_manufacturer, parent_serial) WHERE parent_manufacturer IS NOT NULL;
CREATE INDEX units_transfer_idx ON units (pending_transfer) WHERE pending_transfer IS NOT NULL;

-- A dispatch and what became of it. id is the transfer.dispatch entry's payload.id.
CREATE TABLE transfers (
    id                UUID        PRIMARY KEY,
    dispatch_idx      BIGINT      NOT NULL,
    sender            TEXT        NOT NULL,
    sender_site       TEXT        NOT NULL,
    receiver          TEXT        NOT NULL,
    receiver_site     TEXT        NOT NULL,
    carrier           TEXT,
    shipment_ref      TEXT,
    licence_ref       TEXT,
    expected_arrival  TIMESTAMPTZ,
    state             TEXT        NOT NULL,      -- pending | partial | received | rejected | cancelled
    dispatched_at     TIMESTAMPTZ NOT NULL,
    closed_idx        BIGINT,
    closed_at         TIMESTAMPTZ
);
CREATE INDEX transfers_receiver_idx ON transfers (receiver, state);
CREATE INDEX transfers_sender_idx ON transfers (sender, state);

-- The units a dispatch listed (top-level units; assembled components travel inside them).
CREATE TABLE transfer_units (
    transfer_id   UUID   NOT NULL,
    manufacturer  TEXT   NOT NULL,
    serial        TEXT   NOT NULL,
    state         TEXT   NOT NULL,               -- in_transit | received | returned
    received_idx  BIGINT,
    received_site TEXT,
    PRIMARY KEY (transfer_id, manufacturer, serial)
);

-- Every log entry about a unit (including its components when they travel inside it): history and bundles.
CREATE TABLE unit_entries (
    manufacturer  TEXT   NOT NULL,
    serial        TEXT   NOT NULL,
    idx           BIGINT NOT NULL,
    PRIMARY KEY (manufacturer, serial, idx)
);
CREATE INDEX unit_entries_idx_idx ON unit_entries (idx);

-- Organisations that made, hold, held or were sent a unit: they may see it and the entries about it.
CREATE TABLE unit_parties (
    manufacturer  TEXT   NOT NULL,
    serial        TEXT   NOT NULL,
    org_id        TEXT   NOT NULL,
    since_idx     BIGINT NOT NULL,
    PRIMARY KEY (org_id, manufacturer, serial)
);
CREATE INDEX unit_parties_unit_idx ON unit_parties (manufacturer, serial);
