package org.fabtrail.web;

import jakarta.inject.Inject;
import org.fabtrail.custody.LogEntries;
import org.fabtrail.custody.Organisations;
import org.fabtrail.custody.TransferReads;
import org.fabtrail.custody.Units;
import org.fabtrail.discrepancy.Findings;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerStore;

import java.util.ArrayList;
import java.util.List;

/**
 * What most pages need: the ledger (to write), the read services they ask with the viewer's visibility (ADR 0024),
 * and entries turned into readable lines.
 */
@jakarta.inject.Singleton
public class Pages {

    @Inject
    public Ledger ledger;
    @Inject
    LedgerStore store;
    @Inject
    public Units units;
    @Inject
    public TransferReads transfers;
    @Inject
    public Organisations registry;
    @Inject
    public LogEntries log;
    @Inject
    public Findings findings;

    /** The entries as lines, in the order given. */
    public static List<EntryLine> lines(List<LedgerStore.StoredEntry> entries) {
        List<EntryLine> out = new ArrayList<>(entries.size());
        for (LedgerStore.StoredEntry e : entries) {
            out.add(EntryLine.from(e));
        }
        return out;
    }
}
