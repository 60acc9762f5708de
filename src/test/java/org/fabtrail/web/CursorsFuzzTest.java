package org.fabtrail.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.testing.ParserFuzzTest;

/**
 * Fuzzes the page cursors of the web UI ({@link Cursors}): a cursor is a unit or a log index the pages could have
 * linked to, or it is ignored (the first page is shown); it never throws. Seeds: {@code CursorsFuzzTestInputs/parse}.
 */
class CursorsFuzzTest {

    @ParserFuzzTest
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Optional<UnitKey> unit = Cursors.unit(text);
        unit.ifPresent(key -> {
            assertTrue(EnvelopeParser.SLUG.matcher(key.manufacturer()).matches(), key.toString());
            assertTrue(UnitKey.SERIAL.matcher(key.serial()).matches(), key.toString());
            assertEquals(unit, Cursors.unit(Cursors.unit(key)));
        });
        Long index = Cursors.index(text);
        if (index != null) {
            assertTrue(index >= 0);
            assertEquals(text, index.toString());
        }
    }
}
