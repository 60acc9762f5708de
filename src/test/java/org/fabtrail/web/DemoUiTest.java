package org.fabtrail.web;

import jakarta.inject.Inject;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.web.signing.UiSigning;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test of the web UI on the demo data: before each test the demo organisations' UI signing keys exist
 * ({@link UiKeys}), so that the log only grows by what a form writes; it reads the ledger as the pages do.
 */
abstract class DemoUiTest {

    @Inject
    Ledger ledger;
    @Inject
    UiSigning signing;

    final CustodyQueries queries = new CustodyQueries();

    @BeforeEach
    void uiKeys() {
        UiKeys.ensure(signing);
    }

    /** The acme-fab unit {@code serial} as the ledger holds it now. */
    CustodyQueries.UnitRecord unit(String serial) {
        return ledger.read(c -> queries.unit(c, new UnitKey("acme-fab", serial))).orElseThrow();
    }
}
