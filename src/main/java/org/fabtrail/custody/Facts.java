package org.fabtrail.custody;

import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.Envelope;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The facts of a batch's accepted entries, collected for the observers ({@link CustodyObserver}: the discrepancy
 * detectors). Off when there are none, as in a replay: an entry type builds a fact only when {@link #on()}.
 */
public final class Facts {

    private final boolean on;
    private final List<Fact> facts = new ArrayList<>();

    private Facts(boolean on) {
        this.on = on;
    }

    static void start(BatchContext ctx, boolean on) {
        ctx.attribute(Facts.class, () -> new Facts(on));
    }

    /** The batch's facts. */
    public static Facts of(BatchContext ctx) {
        return ctx.attribute(Facts.class, () -> new Facts(false));
    }

    /** Whether anyone observes this batch. */
    public boolean on() {
        return on;
    }

    /** Adds a fact (nothing when off). */
    public void add(Fact f) {
        if (on) {
            facts.add(f);
        }
    }

    List<Fact> all() {
        return facts;
    }

    public static Fact.UnitSnapshot snapshot(CustodyState.Unit u) {
        return new Fact.UnitSnapshot(u.key, u.kind, u.eccn, u.status, u.custodian, u.site, u.parent);
    }

    /** The site as a fact names it, or null when either id is. */
    public static Fact.Place place(CustodyState s, String org, String site) throws SQLException {
        if (org == null || site == null) {
            return null;
        }
        return s.site(org, site).map(x -> new Fact.Place(x.org(), x.id(), x.country(), x.latitude(), x.longitude(),
                        x.address()))
                .orElse(new Fact.Place(org, site, null, null, null));
    }

    /** Records a custody activity on each unit (status as before the entry). */
    public static void activity(BatchContext ctx, long index, java.time.Instant at, String type, String actor,
                         List<CustodyState.Unit> units) {
        Facts f = of(ctx);
        if (f.on) {
            for (CustodyState.Unit u : units) {
                f.facts.add(new Fact.Activity(index, at, type, actor, snapshot(u)));
            }
        }
    }

    /** Records that the entry saw these units at {@code place} (nothing when off, or without a place). */
    public static void sighting(BatchContext ctx, long index, java.time.Instant at, Envelope e,
                                Fact.Place place, List<UnitKey> units) {
        Facts f = of(ctx);
        if (f.on && place != null && !units.isEmpty()) {
            f.facts.add(new Fact.Sighting(index, at, e.time(), e.type(), e.actor(), List.copyOf(units), place));
        }
    }
}
