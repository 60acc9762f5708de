-- Indexes for the partner API's lookups (issue 16, docs/api.md): the serial search compares serials byte by byte
-- (COLLATE "C"), so a prefix is a range of this index; a unit's custody summary finds the receipts in its history
-- through received_idx. Each costs one index insert on the write path: a unit's registration, and a receipt.
CREATE INDEX units_serial_c_idx ON units (serial COLLATE "C", manufacturer COLLATE "C");
CREATE INDEX transfer_units_received_idx ON transfer_units (received_idx) WHERE received_idx IS NOT NULL;
