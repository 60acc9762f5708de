package org.fabtrail.attestation;

import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;

import java.util.function.Supplier;

/** What the attestation ledger tests share: the organisations they onboard and how they read a write's outcome. */
final class AttestationShared {

    /** A manufacturer, another manufacturer and an inspector. */
    static final String MFR = "mfr";
    static final String OTHER = "mfr2";
    static final String INSP = "insp";

    private AttestationShared() {
    }

    /** The write's refusal code, or "accepted". */
    static String outcome(Supplier<Receipt> write) {
        try {
            write.get();
            return "accepted";
        } catch (LedgerException e) {
            return e.code();
        }
    }
}
