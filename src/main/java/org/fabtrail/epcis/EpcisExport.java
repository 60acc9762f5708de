package org.fabtrail.epcis;

import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.LedgerStore;
import org.fabtrail.ledger.Receipts;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * EPCIS 2.0 documents made from the log, on the caller's connection. What a caller may see is decided by the read
 * paths the rest of the API uses ({@link CustodyQueries}): a unit's story is its history, a query walks the
 * caller's feed.
 */
public final class EpcisExport {

    /** Most feed entries one query page reads before it answers with what it found and a next-page token. */
    public static final int MAX_SCAN = 10_000;
    private static final int CHUNK = 500;

    private final CustodyQueries queries = new CustodyQueries();
    private final LedgerStore store;
    private final EpcisEvents events;

    public EpcisExport(LedgerStore store, EpcisEvents events) {
        this.store = store;
        this.events = events;
    }

    /** A page of a query: its events, and where the next page starts (null on the last page). */
    public record Page(List<Map<String, Object>> events, EpcisQuery.PageToken next) {
    }

    /** Every event about a unit (the caller may see it), in log order. */
    public List<Map<String, Object>> unit(Connection c, UnitKey unit) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (LedgerStore.StoredEntry e : store.entriesAt(c, queries.entryIndexes(c, unit))) {
            out.addAll(events.events(c, e));
        }
        return out;
    }

    /**
     * The events of the caller's feed that match the query, from its page token on: at most {@code perPage} of them,
     * read from at most {@link #MAX_SCAN} entries (a page may hold fewer events than asked for and still have a
     * next one; only a page without a next token is the last).
     */
    public Page query(Connection c, String visibleTo, EpcisQuery q) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        EpcisQuery.PageToken start = q.token();
        long after = start == null ? -1 : start.index() - 1;
        int skip = start == null ? 0 : start.skip();
        int scanned = 0;
        while (scanned < MAX_SCAN) {
            List<Long> indexes = queries.feed(c, visibleTo, after, Math.min(CHUNK, MAX_SCAN - scanned));
            if (indexes.isEmpty()) {
                return new Page(out, null);
            }
            for (LedgerStore.StoredEntry e : store.entriesAt(c, indexes)) {
                List<Map<String, Object>> evs = events.events(c, e);
                for (int i = 0; i < evs.size(); i++) {
                    if (e.index() == (start == null ? -1 : start.index()) && i < skip) {
                        continue;
                    }
                    if (q.matches(evs.get(i))) {
                        if (out.size() == q.perPage()) {
                            return new Page(out, new EpcisQuery.PageToken(e.index(), i));
                        }
                        out.add(evs.get(i));
                    }
                }
                after = e.index();
                scanned++;
            }
        }
        return new Page(out, new EpcisQuery.PageToken(after + 1, 0));
    }

    /** An EPCISDocument holding the events (a unit's story). */
    public static Map<String, Object> document(List<Map<String, Object>> events, Instant now) {
        return document("EPCISDocument", Map.of("eventList", events), now);
    }

    /** An EPCISQueryDocument answering a SimpleEventQuery with the events. */
    public static Map<String, Object> queryDocument(List<Map<String, Object>> events, Instant now) {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("queryName", "SimpleEventQuery");
        results.put("resultsBody", Map.of("eventList", events));
        return document("EPCISQueryDocument", Map.of("queryResults", results), now);
    }

    private static Map<String, Object> document(String type, Map<String, Object> body, Instant now) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("@context", EpcisEvents.CONTEXT);
        doc.put("type", type);
        doc.put("schemaVersion", "2.0");
        doc.put("creationDate", Receipts.formatTime(now));
        doc.put("epcisBody", body);
        return doc;
    }
}
