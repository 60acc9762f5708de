package org.fabtrail.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeTextTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "Ashburn DC-3", "Zürich Halle 7", "東京 倉庫", "emoji \uD83D\uDE80 ok", "tab\tand\nlines\r\n"})
    void freeTextThatPostgresAndReadersHoldIsAccepted(String s) {
        assertTrue(SafeText.isMultiLine(s));
        assertEquals(s, SafeText.multiLine("payload.name", s));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nul\u0000", "\u0001", "bell\u0007", "vt\u000B", "esc\u001B[31m", "del\u007F", "c1\u0085",
            "c1\u009F", "lone \uD800 high", "lone \uDC00 low", "end high \uD83D", "\uFFFE", "\uFFFF"})
    void controlsNoncharactersAndLoneSurrogatesAreRefused(String s) {
        assertFalse(SafeText.isMultiLine(s));
        LedgerException e = assertThrows(LedgerException.class, () -> SafeText.multiLine("payload.name", s));
        assertEquals(LedgerException.Kind.MALFORMED, e.kind());
        assertEquals("invalid-text", e.code());
        assertEquals("payload.name", e.details().get("field"));
        assertTrue(e.detail().startsWith("payload.name holds the character U+"), e.detail());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\tb", "a\nb", "a\rb"})
    void singleLineValuesRefuseLineBreaksAndTabs(String s) {
        assertTrue(SafeText.isMultiLine(s));
        assertFalse(SafeText.isSingleLine(s));
        assertThrows(LedgerException.class, () -> SafeText.singleLine("after", s));
    }

    @Test
    void theFaultNamesTheFirstBadCharacterAndItsPosition() {
        assertEquals("the character U+0000 at position 3", SafeText.multiLineFault("abc\u0000\u0001").orElseThrow());
        assertEquals("the character U+000A at position 1", SafeText.singleLineFault("a\nb").orElseThrow());
    }
}
