package org.fabtrail.web.signing;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.fabtrail.custody.Payload;
import org.fabtrail.custody.PayloadRecord;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;
import org.fabtrail.web.Viewer;


/** Signs an entry for the viewer ({@link UiSigning}) and appends it, waiting for its receipt as the API does. */
@Singleton
public class UiSubmit {

    @Inject
    UiSigning signing;
    @Inject
    Ledger ledger;

    /** @throws LedgerException the ledger's refusal, as for an API submission */
    public Receipt submit(Viewer viewer, String type, PayloadRecord payload) {
        return ledger.submitAndWait(signing.sign(viewer, type, payload.payloadFields()));
    }

    /**
     * The form field a refusal names, or null: a payload field by its record's name ({@code payload.publicKey} →
     * {@code publicKey}), else the field a form of accounts or tokens refused as it is ({@code username}).
     */
    public static String field(LedgerException e) {
        return Payload.refusedField(e).orElseGet(() -> e.details().get("field") instanceof String s ? s : null);
    }
}
