package org.fabtrail.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.testing.ParserFuzzTest;

/**
 * Fuzzes the parsers of what a client puts in API paths and query strings: the tile path ({@link TilePath}, the
 * input split at its first {@code /} the way the route splits {@code tile/<L>/<N>...}) and the paging parameters
 * ({@link Paging}: limit, unit cursor, log index cursor). Each answers a value or a 4xx {@link LedgerException}
 * (404 for tiles, 400 for parameters), never another exception: anything else would be a 500. An accepted tile path
 * is the canonical path of the tile it names; an accepted cursor is one the API could have issued.
 * Seeds: {@code ApiParametersFuzzTestInputs/parse}.
 */
class ApiParametersFuzzTest {

    private static final Set<String> TILE_REFUSALS = Set.of("no-such-tile", "not-public");

    @ParserFuzzTest
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        int slash = text.indexOf('/');
        if (slash >= 0) {
            tile(text.substring(0, slash), text.substring(slash + 1));
        }
        limit(text);
        unitCursor(text);
        indexCursor(text);
        changeCursor(text);
        indexParameter(text);
    }

    private static void tile(String level, String path) {
        TilePath tile;
        try {
            tile = TilePath.parse(level, path);
        } catch (LedgerException refused) {
            assertEquals(LedgerException.Kind.NOT_FOUND, refused.kind());
            assertTrue(TILE_REFUSALS.contains(refused.code()), refused.code());
            return;
        }
        assertTrue(tile.level() >= 0 && tile.level() <= 63, tile.toString());
        assertTrue(tile.index() >= 0, tile.toString());
        assertTrue(tile.width() >= 1 && tile.width() <= Ledger.TILE_WIDTH, tile.toString());
        assertEquals(level, Integer.toString(tile.level()));
        assertEquals(path, tile.indexPath(), "a tile has one path");
    }

    private static void limit(String text) {
        try {
            int limit = Paging.limit(text, 50, 1000);
            assertTrue(limit >= 1 && limit <= 1000, Integer.toString(limit));
        } catch (LedgerException refused) {
            checkRefusal(refused, "invalid-parameter");
        }
    }

    private static void unitCursor(String text) {
        UnitKey key;
        try {
            key = Paging.unitCursor(text);
        } catch (LedgerException refused) {
            // a cursor that decodes to text no page holds (a NUL) is invalid-text; any other bad cursor invalid-cursor
            checkRefusal(refused, "invalid-text".equals(refused.code()) ? "invalid-text" : "invalid-cursor");
            return;
        }
        if (key == null) {
            assertTrue(text.isEmpty());
            return;
        }
        assertTrue(EnvelopeParser.SLUG.matcher(key.manufacturer()).matches()
                && UnitKey.SERIAL.matcher(key.serial()).matches(), "a cursor no page could have issued: " + key);
        assertEquals(key, Paging.unitCursor(Paging.unitCursor(key)));
    }

    private static void indexCursor(String text) {
        long index;
        try {
            index = Paging.indexCursor(text);
        } catch (LedgerException refused) {
            checkRefusal(refused, "invalid-cursor");
            return;
        }
        if (text.isEmpty()) {
            assertEquals(-1, index);
        } else {
            assertEquals(text, Long.toString(index));
        }
    }

    /** The units' changes: a log index, or a position a page issued, which reads back as itself. */
    private static void changeCursor(String text) {
        Paging.ChangePosition position;
        try {
            position = Paging.changeCursor(text);
        } catch (LedgerException refused) {
            checkRefusal(refused, "invalid-text".equals(refused.code()) ? "invalid-text" : "invalid-cursor");
            return;
        }
        if (text.isEmpty()) {
            assertEquals(new Paging.ChangePosition(-1, null), position);
        } else if (position.unit() == null) {
            assertEquals(text, Long.toString(position.index()));
        } else {
            assertTrue(position.index() >= 0 && EnvelopeParser.SLUG.matcher(position.unit().manufacturer()).matches()
                    && UnitKey.SERIAL.matcher(position.unit().serial()).matches(), "no page issues " + position);
            assertEquals(position, Paging.changeCursor(Paging.changeCursor(position.index(), position.unit())));
        }
    }

    /** A filter's log index ({@code since}): absent, or exactly the index written. */
    private static void indexParameter(String text) {
        Long index;
        try {
            index = Paging.indexParameter("since", text);
        } catch (LedgerException refused) {
            checkRefusal(refused, "invalid-parameter");
            return;
        }
        if (text.isEmpty()) {
            assertEquals(null, index);
        } else {
            assertEquals(text, Long.toString(index));
        }
    }

    private static void checkRefusal(LedgerException refused, String code) {
        assertEquals(LedgerException.Kind.MALFORMED, refused.kind());
        assertEquals(code, refused.code());
    }
}
