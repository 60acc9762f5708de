-- Where and when each unit was last seen (issue 11): the impossible-travel and time-backwards detectors compare every
-- located event of a unit (its registration site, a dispatch's origin, a receipt's site, an inspection's site) with
-- the one before. The detectors' working state, like the outbox: written inside the sequencing transaction of the
-- entry that is the sighting, not a projection, so a rebuild leaves it alone.
CREATE TABLE discrepancy_sightings (
    manufacturer  text NOT NULL,
    serial        text NOT NULL,
    idx           bigint NOT NULL,            -- the entry that saw the unit
    event         text NOT NULL,              -- its entry type
    seen_at       timestamptz NOT NULL,       -- the actor's payload.time, no later than the entry's integratedTime
    site_org      text NOT NULL,
    site          text NOT NULL,
    country       text,
    latitude      double precision,
    longitude     double precision,
    PRIMARY KEY (manufacturer, serial)
);

-- The transshipment detector follows a unit's hops from its entries (unit_entries) to the dispatches they are.
CREATE INDEX transfers_dispatch_idx ON transfers (dispatch_idx);
