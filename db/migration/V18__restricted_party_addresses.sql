-- Restricted-party rows may list the party's known addresses (the optional `addresses` CSV column, `;`-separated):
-- a receiving site at a listed address breaks ties in fuzzy name matching and is named in the finding.
ALTER TABLE restricted_parties ADD COLUMN addresses text[] NOT NULL DEFAULT '{}';
