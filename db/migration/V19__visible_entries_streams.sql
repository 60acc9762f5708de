-- Pages of the entries an organisation may see (explorer, recent activity, feed) are merged from its own streams
-- once the entries next to the cursor do not fill them (custody.VisibleEntries, issue 14): its own entries and the
-- public registry entries, each read in index order. The walk of log_entries by index it replaces read the whole
-- log for an organisation that sees little of it. The first costs one index insert per entry on the write path
-- (V6 dropped it when no query used it; docs/benchmarks.md measures it); the second only per registry entry.
CREATE INDEX log_entries_actor_idx ON log_entries (actor, idx);
CREATE INDEX log_entries_public_idx ON log_entries (idx)
    WHERE entry_type IN ('org.register', 'key.add', 'key.revoke', 'site.register');
-- An organisation's transfers, newest dispatch first, as two streams (it sends, it receives), a page of each
-- (CustodyQueries.transfers): one index insert each per dispatch.
CREATE INDEX transfers_sender_dispatch_idx ON transfers (sender, dispatch_idx);
CREATE INDEX transfers_receiver_dispatch_idx ON transfers (receiver, dispatch_idx);
