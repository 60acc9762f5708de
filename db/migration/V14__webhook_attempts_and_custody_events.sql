-- Webhooks: every delivery attempt is kept (the delivery row keeps only the last one's outcome), and a webhook
-- chooses the events it gets: the findings that name its organisation ('discrepancy', what every webhook got
-- before) and the custody events that concern it ('custody').

CREATE TABLE webhook_attempts (
    delivery_id  bigint NOT NULL REFERENCES webhook_deliveries (id),
    attempt      integer NOT NULL,           -- 1, 2, ...
    at           timestamptz NOT NULL,
    address      text,                       -- the checked IP address connected to; null when refused before
    status       integer,                    -- the receiver's HTTP status; null when none came back
    error        text,                       -- null when delivered
    PRIMARY KEY (delivery_id, attempt)
);

ALTER TABLE webhooks ADD COLUMN events text[] NOT NULL DEFAULT '{discrepancy}';

-- custody deliveries are about a log entry, not a finding
ALTER TABLE webhook_deliveries ALTER COLUMN discrepancy_id DROP NOT NULL;
