package org.fabtrail.discrepancy;

import org.fabtrail.custody.Fact;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An inspection that found the unit at a site other than its recorded site ({@code inspection-other-site}), or held
 * by an organisation other than its recorded custodian ({@code inspection-other-custodian}).
 */
final class InspectionElsewhere extends FactDetector<Fact.Inspection> {

    static final String SITE = "inspection-other-site";
    static final String CUSTODIAN = "inspection-other-custodian";

    InspectionElsewhere() {
        super(SITE, Fact.Inspection.class);
    }

    @Override
    List<Finding> find(Fact.Inspection i, Connection c, DiscrepancySettings settings) {
        List<Finding> out = new ArrayList<>();
        if (i.site() != null && !i.site().ref().equals(i.recordedSite().ref())) {
            out.add(new Finding(SITE, SITE + ":" + i.unit() + ":" + i.site().ref(), "high",
                    i.inspector() + " found " + i.unit() + " at " + i.site().ref() + " (" + i.site().country()
                            + "); the ledger records it at " + i.recordedSite().ref() + " ("
                            + i.recordedSite().country() + ")",
                    List.of(i.unit()), List.of(i.inspector(), i.recordedCustodian(), i.site().org()),
                    List.of(i.index()), Map.of("foundSite", i.site().ref(), "recordedSite", i.recordedSite().ref())));
        }
        if (i.custodianFound() != null && !i.custodianFound().equals(i.recordedCustodian())) {
            out.add(new Finding(CUSTODIAN, CUSTODIAN + ":" + i.unit() + ":" + i.custodianFound(), "high",
                    i.inspector() + " found " + i.unit() + " held by " + i.custodianFound()
                            + "; the ledger records " + i.recordedCustodian() + " as its custodian",
                    List.of(i.unit()), List.of(i.inspector(), i.recordedCustodian(), i.custodianFound()),
                    List.of(i.index()), Map.of("foundCustodian", i.custodianFound(), "recordedCustodian",
                    i.recordedCustodian())));
        }
        return out;
    }
}
