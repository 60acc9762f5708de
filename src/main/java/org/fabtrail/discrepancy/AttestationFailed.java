package org.fabtrail.discrepancy;

import org.fabtrail.custody.Fact;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An inspection whose attestation failed, for any reason (carried over from the verdict); and, when the device
 * presented a certificate whose key is bound to another serial, {@code identity-on-two-serials}.
 */
final class AttestationFailed extends FactDetector<Fact.Inspection> {

    static final String RULE = "attestation-failed";
    static final String CLONED = "identity-on-two-serials";

    AttestationFailed() {
        super(RULE, Fact.Inspection.class);
    }

    @Override
    List<Finding> find(Fact.Inspection i, Connection c, DiscrepancySettings settings) {
        List<Finding> out = new ArrayList<>();
        if ("fail".equals(i.verdict())) {
            out.add(new Finding(RULE, RULE + ":" + i.unit() + ":" + String.join(",", i.reasons().stream().sorted().toList()), "critical",
                    "The attestation of " + i.unit() + " failed: " + String.join(", ", i.reasons()),
                    List.of(i.unit()), List.of(i.inspector(), i.recordedCustodian()), List.of(i.index()),
                    Map.of("reasons", i.reasons())));
        }
        if (i.identityOf() != null) {
            out.add(new Finding(CLONED, CLONED + ":" + i.unit() + ":" + i.identityOf(), "critical",
                    "The device inspected as " + i.unit() + " presented the identity certificate of "
                            + i.identityOf() + ": one device identity for two serials",
                    List.of(i.unit(), i.identityOf()), List.of(i.inspector(), i.recordedCustodian()),
                    List.of(i.index()), Map.of("identityOf", i.identityOf().toString())));
        }
        return out;
    }
}
