-- What the runtime role fabtrail_app may do, and nothing more. A repeatable migration: Flyway runs it after the
-- versioned migrations whenever this file changes, so a migration that adds a table adds it to a list below too
-- (the test suite runs the application as fabtrail_app and fails on a table it cannot use).
--
-- The function starts from nothing on every table and sequence of the schema and grants exactly this:
--   * the ledger, append only: SELECT, INSERT on log_entries, tree_nodes, checkpoints and the witnesses'
--     checkpoint_cosignatures (V12); SELECT, UPDATE on tree_head (whose triggers let it only grow over entries that
--     are there, V11);
--   * Flyway's history, read only;
--   * the projections, credentials, sessions and the detectors' working tables: SELECT, INSERT, UPDATE, DELETE
--     (never TRUNCATE, REFERENCES or TRIGGER);
--   * the sequences of those tables: USAGE, SELECT.
-- The role owns nothing, so it can neither disable a trigger nor change a table. It is a no-op when the role does
-- not exist (an external database run by one role). Call SELECT fabtrail_grant_runtime_role(); as the owner after
-- creating the role later.
CREATE OR REPLACE FUNCTION fabtrail_grant_runtime_role() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    r RECORD;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fabtrail_app') THEN
        RETURN;
    END IF;
    FOR r IN SELECT c.relname, c.relkind FROM pg_class c
             WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') LOOP
        IF r.relkind = 'S' THEN
            EXECUTE format('REVOKE ALL ON SEQUENCE %I FROM fabtrail_app', r.relname);
        ELSE
            EXECUTE format('REVOKE ALL ON TABLE %I FROM fabtrail_app', r.relname);
        END IF;
    END LOOP;

    GRANT SELECT, INSERT ON log_entries, tree_nodes, checkpoints, checkpoint_cosignatures TO fabtrail_app;
    GRANT SELECT, UPDATE ON tree_head TO fabtrail_app;
    GRANT SELECT ON flyway_schema_history TO fabtrail_app;

    GRANT SELECT, INSERT, UPDATE, DELETE ON
        -- V2, V3, V4: registry and custody projections, API tokens
        orgs, org_keys, sites, units, transfers, transfer_units, unit_entries, unit_parties, api_tokens,
        -- V7: web accounts and sessions
        users, sessions, login_failures, ui_signing_keys,
        -- V8, V9: device identity and platform certificates
        device_cas, device_keys, unit_inspections, attestation_challenges, platform_certificates,
        -- V10: discrepancies, screening and webhooks
        discrepancies, discrepancy_units, discrepancy_orgs, discrepancy_events, discrepancy_documents,
        discrepancy_outbox, restricted_parties, webhooks, webhook_deliveries, discrepancy_cursors,
        -- V13: the detectors' last sighting of each unit
        discrepancy_sightings,
        -- V14: every webhook delivery attempt
        webhook_attempts,
        -- V16: identity providers, their sign-ins under way, second-factor challenges
        identity_providers, oidc_sign_ins, second_factor_challenges
        TO fabtrail_app;
    GRANT USAGE, SELECT ON SEQUENCE login_failures_id_seq, restricted_parties_id_seq, webhook_deliveries_id_seq
        TO fabtrail_app;
END
$$;

SELECT fabtrail_grant_runtime_role();
