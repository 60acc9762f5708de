-- Bearer API tokens for partner systems. Credentials, not ledger facts: they live outside the log.
-- Only a SHA-256 of each token is stored; the token itself is shown once, when it is created.
CREATE TABLE api_tokens (
    id            UUID        PRIMARY KEY,
    org_id        TEXT        NOT NULL,
    name          TEXT        NOT NULL,
    token_hash    BYTEA       NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    scopes        TEXT[]      NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    revoked_at    TIMESTAMPTZ,
    last_used_at  TIMESTAMPTZ
);
CREATE INDEX api_tokens_org_idx ON api_tokens (org_id);
