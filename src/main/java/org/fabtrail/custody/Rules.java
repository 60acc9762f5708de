package org.fabtrail.custody;

import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.LedgerException;

import java.sql.SQLException;
import java.util.Map;
import java.util.Set;

/** The custody rules shared by several entry types, each refusal with its own stable code. */
final class Rules {

    /** Statuses after which no custody activity is accepted. */
    static final Set<String> RETIRED = Set.of("destroyed", "decommissioned");

    private Rules() {
    }

    static CustodyState state(BatchContext ctx) {
        return ctx.attribute(CustodyState.class, () -> new CustodyState(ctx.connection()));
    }

    static CustodyState.Unit existing(CustodyState s, UnitKey key) throws SQLException {
        return s.unit(key).orElseThrow(() -> refuse(LedgerException.Kind.RULE, "unknown-unit", "Unknown unit",
                "No unit " + key + " is registered", key));
    }

    static void custodian(CustodyState.Unit u, String actor) {
        if (!u.custodian.equals(actor)) {
            throw refuse(LedgerException.Kind.CONFLICT, "not-custodian", "Not the custodian",
                    u.key + " is held by \"" + u.custodian + "\", not by \"" + actor + "\"", u.key);
        }
    }

    static void notRetired(CustodyState.Unit u) {
        if (RETIRED.contains(u.status)) {
            throw refuse(LedgerException.Kind.CONFLICT, "unit-retired", "Unit retired",
                    u.key + " was reported " + u.status + "; no custody activity is accepted on it", u.key);
        }
    }

    static void notInTransit(CustodyState.Unit u) {
        if (u.pendingTransfer != null) {
            throw refuse(LedgerException.Kind.CONFLICT, "unit-in-transit", "Unit in transit",
                    u.key + " is in transit on dispatch " + u.pendingTransfer + "; it can move again once received, "
                            + "rejected or cancelled", u.key);
        }
    }

    static void notAssembled(CustodyState.Unit u) {
        if (u.parent != null) {
            throw refuse(LedgerException.Kind.CONFLICT, "unit-assembled", "Unit assembled",
                    u.key + " is assembled into " + u.parent + "; it moves with it, or disassemble it first", u.key);
        }
    }

    static CustodyState.Site ownSite(CustodyState s, String org, String site, String field) throws SQLException {
        return s.site(org, site).orElseThrow(() -> new LedgerException(LedgerException.Kind.RULE, "unknown-site",
                "Unknown site", "\"" + org + "\" has no site \"" + site + "\"; register it with site.register first",
                Map.of("field", "payload." + field), null));
    }

    static LedgerException refuse(LedgerException.Kind kind, String code, String title, String detail, UnitKey unit) {
        Map<String, Object> ref = new java.util.LinkedHashMap<>();
        ref.put("manufacturer", unit.manufacturer());
        ref.put("serial", unit.serial());
        return new LedgerException(kind, code, title, detail, Map.of("unit", ref), null);
    }
}
