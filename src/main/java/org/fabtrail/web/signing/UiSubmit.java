package org.fabtrail.web.signing;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;
import org.fabtrail.web.Viewer;

import java.util.Map;

/** Signs an entry for the viewer ({@link UiSigning}) and appends it, waiting for its receipt as the API does. */
@Singleton
public class UiSubmit {

    @Inject
    UiSigning signing;
    @Inject
    Ledger ledger;

    /** @throws LedgerException the ledger's refusal, as for an API submission */
    public Receipt submit(Viewer viewer, String type, Map<String, Object> fields) {
        return ledger.submitAndWait(signing.sign(viewer, type, fields));
    }

    /** The form field a refusal names ({@code payload.publicKey} → {@code publicKey}), or null. */
    public static String field(LedgerException e) {
        Object f = e.details().get("field");
        if (!(f instanceof String s)) {
            return null;
        }
        s = s.startsWith("payload.") ? s.substring("payload.".length()) : s;
        int bracket = s.indexOf('[');
        return bracket < 0 ? s : s.substring(0, bracket);
    }
}
