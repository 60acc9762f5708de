package org.fabtrail.web;

import jakarta.inject.Inject;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** What most pages need: the ledger, the custody queries, and entries turned into readable lines. */
@jakarta.inject.Singleton
public class Pages {

    @Inject
    Ledger ledger;
    @Inject
    LedgerStore store;

    final CustodyQueries queries = new CustodyQueries();

    List<EntryLine> lines(Connection c, List<Long> indexes) throws SQLException {
        List<EntryLine> out = new ArrayList<>(indexes.size());
        for (LedgerStore.StoredEntry e : store.entriesAt(c, indexes)) {
            out.add(EntryLine.from(e));
        }
        return out;
    }
}
