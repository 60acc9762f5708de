package org.fabtrail.custody;

import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.LedgerException;

import java.sql.SQLException;
import java.util.Map;
import java.util.Set;

/**
 * The custody rules shared by several entry types (of any package), each refusal a LedgerException with its own
 * stable code: thrown before the entry writes anything.
 */
public final class Rules {

    /** Statuses after which no custody activity is accepted. */
    public static final Set<String> RETIRED = Set.of("destroyed", "decommissioned");

    private Rules() {
    }

    /** The organisation, which must be registered; else {@code unknown-org}. */
    public static Registry.OrgRow requireOrg(BatchContext ctx, String org) throws SQLException {
        return Registry.of(ctx).org(org).orElseThrow(() -> LedgerException.rule("unknown-org", "Unknown organisation",
                "Organisation \"" + org + "\" is not registered"));
    }

    /** The organisation, which must have the role; else {@code unknown-org} or {@code role-required}. */
    public static void requireRole(BatchContext ctx, String org, String role) throws SQLException {
        if (!requireOrg(ctx, org).roles().contains(role)) {
            throw new LedgerException(LedgerException.Kind.RULE, "role-required", "Role required",
                    "\"" + org + "\" is not registered as a " + role + "; this entry needs that role",
                    Map.of("role", role), null);
        }
    }

    /** The unit, which must be registered; else {@code unknown-unit}. */
    public static CustodyState.Unit existing(CustodyState s, UnitKey key) throws SQLException {
        return s.unit(key).orElseThrow(() -> refuse(LedgerException.Kind.RULE, "unknown-unit", "Unknown unit",
                "No unit " + key + " is registered", key));
    }

    /** Else {@code not-custodian}. */
    public static void custodian(CustodyState.Unit u, String actor) {
        if (!u.custodian.equals(actor)) {
            throw refuse(LedgerException.Kind.CONFLICT, "not-custodian", "Not the custodian",
                    u.key + " is held by \"" + u.custodian + "\", not by \"" + actor + "\"", u.key);
        }
    }

    /** Else {@code unit-retired}. */
    public static void notRetired(CustodyState.Unit u) {
        if (RETIRED.contains(u.status)) {
            throw refuse(LedgerException.Kind.CONFLICT, "unit-retired", "Unit retired",
                    u.key + " was reported " + u.status + "; no custody activity is accepted on it", u.key);
        }
    }

    /** Else {@code unit-in-transit}. */
    public static void notInTransit(CustodyState.Unit u) {
        if (u.pendingTransfer != null) {
            throw refuse(LedgerException.Kind.CONFLICT, "unit-in-transit", "Unit in transit",
                    u.key + " is in transit on dispatch " + u.pendingTransfer + "; it can move again once received, "
                            + "rejected or cancelled", u.key);
        }
    }

    /** Else {@code unit-assembled}. */
    public static void notAssembled(CustodyState.Unit u) {
        if (u.parent != null) {
            throw refuse(LedgerException.Kind.CONFLICT, "unit-assembled", "Unit assembled",
                    u.key + " is assembled into " + u.parent + "; it moves with it, or disassemble it first", u.key);
        }
    }

    /** The organisation's site, which must be registered; else {@code unknown-site} naming {@code payload.<field>}. */
    public static CustodyState.Site ownSite(CustodyState s, String org, String site, String field) throws SQLException {
        return s.site(org, site).orElseThrow(() -> new LedgerException(LedgerException.Kind.RULE, "unknown-site",
                "Unknown site", "\"" + org + "\" has no site \"" + site + "\"; register it with site.register first",
                Map.of("field", "payload." + field), null));
    }

    /** A refusal about a unit: its details name the unit. */
    public static LedgerException refuse(LedgerException.Kind kind, String code, String title, String detail, UnitKey unit) {
        Map<String, Object> ref = new java.util.LinkedHashMap<>();
        ref.put("manufacturer", unit.manufacturer());
        ref.put("serial", unit.serial());
        return new LedgerException(kind, code, title, detail, Map.of("unit", ref), null);
    }
}
