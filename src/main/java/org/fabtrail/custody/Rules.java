package org.fabtrail.custody;

import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.LedgerException;

import java.sql.SQLException;
import java.util.List;
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

    /**
     * Whether the batch replays entries already in the log (a rebuild) rather than admitting new ones. A rule whose
     * outcome depends on a setting (the operator may change it) judges new entries by the setting and, on a replay,
     * accepts what any setting accepted: the log must replay whatever the settings are now (docs/adr/0015).
     */
    public static boolean replaying(BatchContext ctx) {
        return CustodyPolicy.replaying(ctx);
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

    /** A key entry of {@code type} for {@code org} is signed by the operator or by {@code org}; else {@code not-authorised}. */
    static void requireOperatorOrOwner(String type, String actor, String org) {
        if (!Operator.ID.equals(actor) && !actor.equals(org)) {
            throw LedgerException.rule("not-authorised", "Not authorised",
                    type + " for \"" + org + "\" must be signed by the operator or by \"" + org + "\" itself");
        }
    }

    /** The unit, which must be registered; else {@code unknown-unit}. */
    public static CustodyState.Unit existing(CustodyState s, UnitKey key) throws SQLException {
        return s.unit(key).orElseThrow(() -> unknownUnit(key));
    }

    /** The refusal of a unit reference that names no unit the actor may know of. */
    static LedgerException unknownUnit(UnitKey key) {
        return refuse(LedgerException.Kind.RULE, "unknown-unit", "Unknown unit", "No unit " + key + " is registered",
                key);
    }

    /**
     * The actor must hold the unit; else {@code not-custodian}. A unit the actor may not see ({@link #maySee}) is
     * refused exactly as one that does not exist ({@code unknown-unit}), so that a write cannot tell a stranger who
     * holds a unit, or that it exists. Every rule after this one is the custodian's alone.
     */
    public static void custodian(BatchContext ctx, CustodyState s, CustodyState.Unit u, String actor)
            throws SQLException {
        if (!u.custodian.equals(actor)) {
            if (!maySee(ctx, s, u, actor)) {
                throw unknownUnit(u.key);
            }
            throw refuse(LedgerException.Kind.CONFLICT, "not-custodian", "Not the custodian",
                    u.key + " is held by \"" + u.custodian + "\", not by \"" + actor + "\"", u.key);
        }
    }

    /**
     * Whether the actor may see the unit, as the API and the pages decide it: the operator, inspectors and regulators
     * see every unit; an organisation the units it made, holds, held or was sent (docs/api.md, visibility).
     */
    public static boolean maySee(BatchContext ctx, CustodyState s, CustodyState.Unit u, String actor)
            throws SQLException {
        if (Operator.ID.equals(actor) || actor.equals(u.key.manufacturer()) || actor.equals(u.custodian)
                || seesAll(ctx, actor)) {
            return true;
        }
        return s.isParty(u.key, actor);
    }

    /** The operator, inspectors and regulators see every unit and transfer. */
    public static boolean seesAll(BatchContext ctx, String actor) throws SQLException {
        if (Operator.ID.equals(actor)) {
            return true;
        }
        List<String> roles = Registry.of(ctx).org(actor).map(Registry.OrgRow::roles).orElse(List.of());
        return roles.contains(Roles.INSPECTOR) || roles.contains(Roles.REGULATOR);
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
        return s.site(org, site).orElseThrow(() -> Payload.refusal(LedgerException.Kind.RULE, "unknown-site",
                "Unknown site", field, "\"" + org + "\" has no site \"" + site + "\"; register it with site.register first"));
    }

    /** A refusal about a unit: its details name the unit. */
    public static LedgerException refuse(LedgerException.Kind kind, String code, String title, String detail, UnitKey unit) {
        return new LedgerException(kind, code, title, detail, Map.of("unit", unitDetail(unit)), null);
    }

    /** A unit as a refusal's details name it: {@code {"manufacturer": …, "serial": …}}, in that order. */
    public static Map<String, Object> unitDetail(UnitKey unit) {
        Map<String, Object> ref = new java.util.LinkedHashMap<>();
        ref.put("manufacturer", unit.manufacturer());
        ref.put("serial", unit.serial());
        return ref;
    }
}
