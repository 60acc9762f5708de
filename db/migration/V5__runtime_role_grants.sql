-- When Fabtrail runs as the dedicated runtime role fabtrail_app (see docs/operators.md), it needs ordinary
-- read/write access to the projections and credentials (rebuilt or managed by the application), and read access
-- to Flyway's history to validate the schema at start. Ledger tables stay append-only for it (V1).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fabtrail_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON orgs, org_keys, sites, units, transfers, transfer_units,
            unit_entries, unit_parties, api_tokens TO fabtrail_app;
        GRANT SELECT ON flyway_schema_history TO fabtrail_app;
    END IF;
END
$$;
