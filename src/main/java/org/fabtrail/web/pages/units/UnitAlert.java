package org.fabtrail.web.pages.units;

import org.fabtrail.web.Pages;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.custody.LogEntries;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.discrepancy.DiscrepancyQueries;
import org.fabtrail.discrepancy.Findings;
import org.fabtrail.ledger.LedgerStore;
import org.fabtrail.web.EntryLine;
import org.fabtrail.web.Viewer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.Set;

/**
 * What makes a unit stand out to an inspector, shown above everything on every page about it: the unit reported
 * stolen, lost or destroyed (who reported it, when, why), or flagged by unresolved findings the viewer may see.
 *
 * @param report   the {@code unit.status} entry that reported the status; null when none did (a status of the past)
 * @param reason   the reason that entry gives
 * @param findings the unresolved findings about the unit that the viewer may see, newest first
 */
public record UnitAlert(UnitKey unit, String status, EntryLine report, String reason,
                        List<DiscrepancyQueries.Discrepancy> findings) {

    /** Statuses that mean the unit should not be where anyone finds it. */
    static final Set<String> GONE = Set.of("stolen", "lost", "destroyed");
    /** Most findings the banner (and the unit page) lists; the dashboard filtered by the unit has them all. */
    static final int FINDINGS = 20;

    /** Whether the unit is reported stolen, lost or destroyed. */
    public boolean gone() {
        return GONE.contains(status);
    }

    /** Whether there is anything to show. */
    public boolean show() {
        return gone() || !findings.isEmpty();
    }

    /**
     * The alert for a unit the viewer may see.
     *
     * @param timeline the unit's entries, oldest first (the unit page has them already)
     */
    static UnitAlert of(LogEntries log, Findings found, Viewer v, CustodyQueries.UnitRecord u,
                        List<EntryLine> timeline) {
        EntryLine report = null;
        String reason = null;
        if (GONE.contains(u.status())) {
            for (EntryLine line : timeline) {
                if ("unit.status".equals(line.type()) && line.units().contains(u.key())) {
                    report = line;
                }
            }
            if (report != null) {
                for (LedgerStore.StoredEntry e : log.at(List.of(report.index()))) {
                    Object why = EntryLine.payload(e).get("reason");
                    reason = why == null ? null : String.valueOf(why);
                }
            }
        }
        List<DiscrepancyQueries.Discrepancy> findings = found.list(v.visibility(),
                new DiscrepancyQueries.Filter(null, null, "unresolved", null, u.key(), null, null), null, FINDINGS);
        return new UnitAlert(u.key(), u.status(), report, reason, findings);
    }

    /**
     * The alerts of those of a dispatch's (or any list's) units that have one, in the list's order. Only a unit
     * reported gone has its timeline read (for who reported it and why).
     */
    public static List<UnitAlert> of(Pages pages, Viewer v, List<UnitKey> units) {
        Map<UnitKey, CustodyQueries.UnitRecord> seen = pages.units.lookup(v.visibility(), units).stream()
                .collect(Collectors.toMap(CustodyQueries.UnitRecord::key, Function.identity()));
        List<UnitAlert> alerts = new ArrayList<>();
        for (UnitKey k : units) {
            CustodyQueries.UnitRecord u = seen.get(k);
            if (u == null) {
                continue;
            }
            List<EntryLine> timeline = GONE.contains(u.status())
                    ? Pages.lines(pages.units.history(v.visibility(), k).orElse(List.of())) : List.of();
            UnitAlert a = of(pages.log, pages.findings, v, u, timeline);
            if (a.show()) {
                alerts.add(a);
            }
        }
        return alerts;
    }
}
