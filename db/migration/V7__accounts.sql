-- People who use the web UI, their sessions, and the organisations' UI signing keys.
-- Credentials and sessions are not ledger facts; the entries people make through the UI are.

CREATE TABLE users (
    id             UUID        PRIMARY KEY,
    username       TEXT        NOT NULL UNIQUE,           -- lowercase
    display_name   TEXT        NOT NULL,
    org_id         TEXT,                                  -- null for the log operator's staff
    role           TEXT        NOT NULL,                  -- operator | org-admin | member
    password_hash  TEXT        NOT NULL,                  -- PHC string, Argon2id
    created_at     TIMESTAMPTZ NOT NULL,
    disabled_at    TIMESTAMPTZ
);
CREATE INDEX users_org_idx ON users (org_id);

-- Server-side sessions: the cookie carries a random token, the table only its SHA-256. Logout deletes the row.
CREATE TABLE sessions (
    token_hash    BYTEA       PRIMARY KEY,
    user_id       UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token    TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    last_seen_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Failed logins, for throttling (per username and per client address).
CREATE TABLE login_failures (
    id          BIGSERIAL   PRIMARY KEY,
    username    TEXT        NOT NULL,
    address     TEXT        NOT NULL,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_user_idx ON login_failures (username, at);
CREATE INDEX login_failures_addr_idx ON login_failures (address, at);

-- The key each organisation's UI entries are signed with: registered in the log by key.add, the private part
-- kept here encrypted (AES-256-GCM) under the instance's master key.
CREATE TABLE ui_signing_keys (
    org_id          TEXT        PRIMARY KEY,
    key_id          TEXT        NOT NULL,
    encrypted_key   BYTEA       NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fabtrail_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON users, sessions, login_failures, ui_signing_keys TO fabtrail_app;
        GRANT USAGE ON SEQUENCE login_failures_id_seq TO fabtrail_app;
    END IF;
END
$$;
