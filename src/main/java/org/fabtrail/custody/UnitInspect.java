package org.fabtrail.custody;

import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.LedgerException;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code unit.inspect}: what an inspector found on site. Fields: {@code unit}; optional {@code site} (a site reference
 * {@code {"org", "site"}}: where the unit was found) and {@code custodian} (the organisation found holding it);
 * {@code result} ({@code consistent} or {@code discrepancy}); {@code notes}. Only an organisation with the role
 * {@code inspector} or {@code regulator} (or the operator) may submit it.
 *
 * <p>An inspection changes nothing about the unit: it joins the unit's history ({@code unit_entries}) and makes the
 * inspecting organisation a party. It records a finding even when it contradicts the ledger, and on retired or
 * in-transit units: contradictions are for the discrepancy detectors, not refusals. The attestation follow-up adds
 * the device's answer to a challenge as further optional fields ({@link #OPTIONAL}), so inspections written before it
 * stay valid.
 */
final class UnitInspect implements EntryType {

    static final String TYPE = "unit.inspect";
    static final String CONSISTENT = "consistent";
    static final String DISCREPANCY = "discrepancy";
    static final List<String> RESULTS = List.of(CONSISTENT, DISCREPANCY);
    static final int MAX_NOTES = 2000;
    static final Set<String> REQUIRED = Set.of("unit", "result", "notes");
    static final Set<String> OPTIONAL = Set.of("site", "custodian");

    /** The fields, checked. */
    record Fields(UnitKey unit, CustodyState.SiteKey site, String custodian, String result, String notes) {
    }

    @Override
    public String name() {
        return TYPE;
    }

    static Fields fields(Envelope e) {
        Payload p = Payload.of(e, REQUIRED, OPTIONAL);
        UnitKey unit = p.unit("unit");
        CustodyState.SiteKey site = p.has("site") ? p.site("site") : null;
        String custodian = p.has("custodian") ? p.slug("custodian") : null;
        String result = p.oneOf("result", RESULTS);
        String notes = p.string("notes", MAX_NOTES);
        return new Fields(unit, site, custodian, result, notes);
    }

    @Override
    public void check(Envelope e) {
        fields(e);
    }

    @Override
    public void prefetch(Envelope e, CustodyPolicy.Wants wants) {
        Fields f = fields(e);
        wants.unit(f.unit());
        if (f.site() != null) {
            wants.site(f.site().org(), f.site().id());
        }
        if (f.custodian() != null) {
            wants.org(f.custodian());
        }
    }

    @Override
    public void apply(Envelope e, long index, Instant at, BatchContext ctx) throws SQLException {
        Fields f = fields(e);
        boolean operator = Operator.ID.equals(e.actor());
        if (!operator) {
            List<String> roles = CustodyPolicy.requireOrg(ctx, e.actor()).roles();
            if (!roles.contains(Roles.INSPECTOR) && !roles.contains(Roles.REGULATOR)) {
                throw new LedgerException(LedgerException.Kind.RULE, "role-required", "Role required",
                        "\"" + e.actor() + "\" is not registered as an inspector or regulator; only they record "
                                + "inspections", Map.of("role", Roles.INSPECTOR), null);
            }
        }
        CustodyState s = Rules.state(ctx);
        CustodyState.Unit u = Rules.existing(s, f.unit());
        if (f.site() != null) {
            Rules.ownSite(s, f.site().org(), f.site().id(), "site");
        }
        if (f.custodian() != null) {
            CustodyPolicy.requireOrg(ctx, f.custodian());
        }
        s.touched(u.key, index);
        if (!operator) {
            s.party(u.key, e.actor(), index);
        }
    }
}
