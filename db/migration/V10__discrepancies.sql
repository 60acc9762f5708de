-- Discrepancies: findings are entries in the log (discrepancy.open, discrepancy.note, discrepancy.resolve);
-- these tables are their projections (rebuilt by replay), plus the detectors' outbox, the restricted-party list
-- used for export-control screening, and partner webhooks (operational state, not rebuilt).

CREATE TABLE discrepancies (
    id          uuid PRIMARY KEY,           -- payload.id of the discrepancy.open entry
    finding     text NOT NULL UNIQUE,       -- the detector's key: one finding is never opened twice
    rule        text NOT NULL,
    severity    text NOT NULL,
    state       text NOT NULL,              -- open | acknowledged | investigating | resolved
    summary     text NOT NULL,
    opened_idx  bigint NOT NULL,
    opened_at   timestamptz NOT NULL,
    opened_by   text NOT NULL,
    updated_idx bigint NOT NULL,
    updated_at  timestamptz NOT NULL,
    outcome     text,
    units       jsonb NOT NULL,             -- [{"manufacturer": ..., "serial": ...}]
    orgs        text[] NOT NULL,
    evidence    bigint[] NOT NULL,
    details     jsonb
);
CREATE INDEX discrepancies_opened ON discrepancies (opened_at DESC, id);
CREATE INDEX discrepancies_open_rule ON discrepancies (rule) WHERE state <> 'resolved';

CREATE TABLE discrepancy_units (
    discrepancy_id uuid NOT NULL,
    manufacturer   text NOT NULL,
    serial         text NOT NULL,
    PRIMARY KEY (manufacturer, serial, discrepancy_id)
);

CREATE TABLE discrepancy_orgs (
    discrepancy_id uuid NOT NULL,
    org            text NOT NULL,
    PRIMARY KEY (org, discrepancy_id)
);

CREATE TABLE discrepancy_events (
    discrepancy_id uuid NOT NULL,
    idx            bigint NOT NULL,
    at             timestamptz NOT NULL,
    actor          text NOT NULL,
    kind           text NOT NULL,           -- open | note | resolve
    state          text NOT NULL,           -- the state after this event
    note           text,
    outcome        text,
    evidence       bigint[] NOT NULL,
    documents      jsonb,                   -- [{"name", "sha256", "size"}] a note attached
    PRIMARY KEY (discrepancy_id, idx)
);

-- Documents offered as evidence (customs papers, photos): the log records each one's name, SHA-256 and size in the
-- note that attaches it; the bytes are kept here for those who may see the finding (not a projection: not rebuilt).
CREATE TABLE discrepancy_documents (
    discrepancy_id uuid NOT NULL,
    sha256         text NOT NULL,
    name           text NOT NULL,
    media_type     text NOT NULL,
    size           bigint NOT NULL,
    content        bytea NOT NULL,
    uploaded_at    timestamptz NOT NULL,
    uploaded_by    text NOT NULL,
    PRIMARY KEY (discrepancy_id, sha256)
);

-- What detectors observed, waiting to be published. Written in the sequencing transaction of the entries that
-- are the evidence, so nothing found is lost; kept across a projection rebuild. One row per observation (the
-- finding's key and its evidence); the publisher opens the finding, or adds the observation to the open finding
-- with that key as a note, or opens a recurrence when that finding was resolved.
CREATE TABLE discrepancy_outbox (
    observation   text PRIMARY KEY,
    finding       text NOT NULL,
    rule          text NOT NULL,
    severity      text NOT NULL,
    summary       text NOT NULL,
    units         jsonb NOT NULL,
    orgs          text[] NOT NULL,
    evidence      bigint[] NOT NULL,
    details       jsonb,
    detected_at   timestamptz NOT NULL,
    attempts      integer NOT NULL DEFAULT 0,
    last_error    text,
    published_idx bigint,                 -- the discrepancy.open or .note that published it; -1: nothing new
    published_as  text                    -- open | note | known
);
CREATE INDEX discrepancy_outbox_pending ON discrepancy_outbox (detected_at) WHERE published_idx IS NULL;
CREATE INDEX discrepancy_outbox_finding ON discrepancy_outbox (finding);

-- The restricted-party list the operator imports (the shape of public consolidated screening lists).
CREATE TABLE restricted_parties (
    id           bigserial PRIMARY KEY,
    name         text NOT NULL,
    country      text,                      -- ISO 3166-1 alpha-2, or null
    aliases      text[] NOT NULL,
    source_list  text NOT NULL,
    identifiers  text,
    match_keys   text[] NOT NULL,           -- normalised name and aliases
    imported_at  timestamptz NOT NULL
);

-- Partner webhooks: per organisation, HMAC-SHA256 signed deliveries of the findings that concern it.
CREATE TABLE webhooks (
    id          uuid PRIMARY KEY,
    org         text NOT NULL,
    url         text NOT NULL,
    secret      bytea NOT NULL,             -- sealed with the master key (SecretBox)
    created_at  timestamptz NOT NULL,
    created_by  text NOT NULL,
    active      boolean NOT NULL DEFAULT true
);
CREATE INDEX webhooks_org ON webhooks (org) WHERE active;

CREATE TABLE webhook_deliveries (
    id             bigserial PRIMARY KEY,
    webhook_id     uuid NOT NULL REFERENCES webhooks (id),
    event          text NOT NULL,           -- discrepancy.open | discrepancy.note | discrepancy.resolve
    discrepancy_id uuid NOT NULL,
    entry_idx      bigint NOT NULL,
    body           text NOT NULL,
    state          text NOT NULL,           -- pending | delivered | failed | stopped
    attempts       integer NOT NULL DEFAULT 0,
    next_attempt   timestamptz NOT NULL,
    last_status    integer,
    last_error     text,
    delivered_at   timestamptz,
    UNIQUE (webhook_id, entry_idx)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt) WHERE state = 'pending';

-- Where the webhook dispatcher has read the log up to.
CREATE TABLE discrepancy_cursors (
    name  text PRIMARY KEY,
    idx   bigint NOT NULL
);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fabtrail_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON discrepancies, discrepancy_units, discrepancy_orgs,
            discrepancy_events, discrepancy_documents, discrepancy_outbox, restricted_parties, webhooks, webhook_deliveries,
            discrepancy_cursors TO fabtrail_app;
        GRANT USAGE ON SEQUENCE restricted_parties_id_seq, webhook_deliveries_id_seq TO fabtrail_app;
    END IF;
END
$$;
