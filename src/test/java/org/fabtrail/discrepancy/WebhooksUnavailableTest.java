package org.fabtrail.discrepancy;

import org.fabtrail.ledger.LedgerException;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On an instance without a master key, registering a webhook is a clear 503 that names the setting, before anything
 * is written (no database is given here: reaching it would fail differently).
 */
class WebhooksUnavailableTest {

    @Test
    void withoutAMasterKeyRegistrationNamesTheSetting() {
        Webhooks hooks = new Webhooks(null, Clock.systemUTC(), () -> {
            throw new LedgerException(LedgerException.Kind.UNAVAILABLE, "ui-signing-unavailable",
                    "UI signing not configured", "This instance has no master key");
        }, true);
        LedgerException e = assertThrows(LedgerException.class,
                () -> hooks.register("acme-fab", "https://hooks.example/fabtrail", "alice"));
        assertEquals(LedgerException.Kind.UNAVAILABLE, e.kind());
        assertEquals(Webhooks.WEBHOOKS_UNAVAILABLE, e.code());
        assertTrue(e.detail().contains("FABTRAIL_MASTER_KEY"), e.detail());
    }
}
