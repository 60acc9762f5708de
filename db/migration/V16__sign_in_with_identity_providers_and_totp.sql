-- Sign-in through an organisation's OpenID Connect identity provider, and a TOTP second factor for local accounts
-- (ADR 0021). Like accounts and sessions, none of this is a ledger fact.

-- One identity provider per organisation, set by its admins. The client secret is sealed (AES-256-GCM under the
-- instance's master key, bound to the organisation), never stored in the clear.
CREATE TABLE identity_providers (
    org_id          TEXT        PRIMARY KEY,
    issuer          TEXT        NOT NULL,              -- exactly as the provider's discovery document and tokens say
    client_id       TEXT        NOT NULL,
    sealed_secret   BYTEA       NOT NULL,
    user_claim      TEXT        NOT NULL,              -- the ID token claim that names the user (a username)
    groups_claim    TEXT        NOT NULL,              -- the claim listing the user's groups
    admin_group     TEXT,                              -- members of this group sign in as org-admin
    member_group    TEXT,                              -- of this one as member; both null: everyone as member
    provision       BOOLEAN     NOT NULL,              -- create an account for an unknown user (else refuse)
    updated_at      TIMESTAMPTZ NOT NULL,
    updated_by      TEXT        NOT NULL
);

-- Sign-ins under way at a provider: the state (only its SHA-256 kept), the nonce and the PKCE verifier, used once.
CREATE TABLE oidc_sign_ins (
    state_hash      BYTEA       PRIMARY KEY,
    org_id          TEXT        NOT NULL,
    nonce           TEXT        NOT NULL,
    verifier        TEXT        NOT NULL,
    next_path       TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX oidc_sign_ins_created_idx ON oidc_sign_ins (created_at);

-- A local account's TOTP secret (sealed, bound to the account), the one being enrolled until a code confirms it,
-- and the last time step whose code was taken (so no code is taken twice). Accounts an identity provider created
-- have no usable password (external_only).
ALTER TABLE users
    ADD COLUMN totp_secret     BYTEA,
    ADD COLUMN totp_pending    BYTEA,
    ADD COLUMN totp_last_step  BIGINT  NOT NULL DEFAULT 0,
    ADD COLUMN external_only   BOOLEAN NOT NULL DEFAULT false;

-- A password that was right, waiting for the account's TOTP code: the token in the code form (only its SHA-256
-- kept), for a few minutes and a few tries.
CREATE TABLE second_factor_challenges (
    token_hash      BYTEA       PRIMARY KEY,
    user_id         UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    next_path       TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    attempts        INT         NOT NULL DEFAULT 0
);
