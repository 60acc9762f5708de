package org.fabtrail.web;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Signs an entry for the viewer ({@link UiSigning}) and appends it, waiting for its receipt as the API does. */
@Singleton
class UiSubmit {

    @Inject
    UiSigning signing;
    @Inject
    Ledger ledger;

    /** @throws LedgerException the ledger's refusal, as for an API submission */
    Receipt submit(Viewer viewer, String type, Map<String, Object> fields) {
        Envelope e = signing.sign(viewer, type, fields);
        try {
            return ledger.append(e).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException x) {
            if (x.getCause() instanceof LedgerException le) {
                throw le;
            }
            throw new IllegalStateException(x.getCause());
        } catch (TimeoutException x) {
            throw new LedgerException(LedgerException.Kind.UNAVAILABLE, "commit-timeout", "Not committed in time",
                    "The entry was not committed within 60 s; check the log before trying again");
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new LedgerException(LedgerException.Kind.UNAVAILABLE, "interrupted", "Interrupted",
                    "The server is shutting down");
        }
    }

    /** The form field a refusal names ({@code payload.publicKey} → {@code publicKey}), or null. */
    static String field(LedgerException e) {
        Object f = e.details().get("field");
        if (!(f instanceof String s)) {
            return null;
        }
        s = s.startsWith("payload.") ? s.substring("payload.".length()) : s;
        int bracket = s.indexOf('[');
        return bracket < 0 ? s : s.substring(0, bracket);
    }
}
