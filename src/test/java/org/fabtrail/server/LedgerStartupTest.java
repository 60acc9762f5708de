package org.fabtrail.server;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Startup refusals that need no database. */
class LedgerStartupTest {

    private static final String CHECKPOINT = "fabtrail.local/log\n12\nyD2mVXuPH6WTyxP+STwoMCB5eojSFRvHtwIjtNmGlFc=\n\n"
            + "\u2014 fabtrail.local/log +drMs8VWJnaqnAvDx+ul5VJLqVHTKfzm87p0Czf7CLUKjIxYi65TQBwMhuuBNrfcic+PBp4klQHqyTjcM"
            + "ZObaNGpIAc=\n";

    @Test
    void aLogKeepsItsOrigin() {
        assertDoesNotThrow(() -> LedgerStartup.requireSameOrigin("fabtrail.local/log", CHECKPOINT));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LedgerStartup.requireSameOrigin("example.org/log", CHECKPOINT));
        assertTrue(e.getMessage().contains("FABTRAIL_LOG_ORIGIN=fabtrail.local/log"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> LedgerStartup.requireSameOrigin("fabtrail.local", CHECKPOINT));
    }
}
