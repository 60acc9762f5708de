package org.fabtrail.discrepancy;

import org.fabtrail.attestation.StaleCrlFact;

import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A device identity check that passed although the registered CRL of a device CA on the chain was past its
 * {@code nextUpdate} (the stale-CRL policy {@code flag}): revocations since then cannot be seen. One finding per stale
 * CRL, whatever the number of units checked under it; its evidence is the {@code ca.crl} that registered the CRL,
 * and its details name the first check that met it.
 */
final class StaleCrl extends FactDetector<StaleCrlFact> {

    static final String RULE = "crl-stale";

    StaleCrl() {
        super(RULE, StaleCrlFact.class);
    }

    @Override
    List<Finding> find(StaleCrlFact s, Connection c, DiscrepancySettings settings) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("caId", s.caId());
        details.put("caSubject", s.caSubject());
        details.put("nextUpdate", s.nextUpdate().toString());
        details.put("crlIndex", s.crlIndex());
        details.put("firstSeen", Map.of("index", s.index(), "entryType", s.type(), "unit", s.unit().toString()));
        return List.of(new Finding(RULE, RULE + ":" + s.manufacturer() + ":" + s.caId() + ":" + s.nextUpdate(),
                "medium", "The CRL of " + s.manufacturer() + "'s device CA " + s.caSubject() + " (registered at index "
                + s.crlIndex() + ") was due for renewal at " + s.nextUpdate() + " and no newer one is registered: "
                + "certificates revoked since cannot be seen. " + s.type() + " of " + s.unit() + " passed regardless",
                List.of(), List.of(s.manufacturer()), List.of(s.crlIndex()), details));
    }
}
