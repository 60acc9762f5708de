package org.fabtrail.api;

import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.SafeText;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Page sizes and opaque cursors, refused clearly when malformed. */
final class Paging {

    private Paging() {
    }

    static int limit(String value, int dflt, int max) {
        if (value == null || value.isEmpty()) {
            return dflt;
        }
        if (!value.matches("[1-9]\\d{0,5}") || Integer.parseInt(value) > max) {
            throw new LedgerException(LedgerException.Kind.MALFORMED, "invalid-parameter", "Invalid parameter",
                    "limit must be 1 to " + max + ", not \"" + value + "\"", Map.of("parameter", "limit"), null);
        }
        return Integer.parseInt(value);
    }

    static String unitCursor(UnitKey k) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((k.manufacturer() + "/" + k.serial()).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The unit a cursor names. The decoded text is checked like any parameter (a cursor that decodes to a NUL is
     * {@code invalid-text}, never a database error) and must then be a unit reference.
     */
    static UnitKey unitCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        String s;
        try {
            s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalidUnitCursor();
        }
        SafeText.singleLineFault(s).ifPresent(fault -> {
            throw SafeText.parameterRefusal("after", fault);
        });
        int slash = s.indexOf('/');
        if (slash < 0 || !EnvelopeParser.SLUG.matcher(s.substring(0, slash)).matches()
                || !UnitKey.SERIAL.matcher(s.substring(slash + 1)).matches()) {
            throw invalidUnitCursor();
        }
        return new UnitKey(s.substring(0, slash), s.substring(slash + 1));
    }

    private static LedgerException invalidUnitCursor() {
        return new LedgerException(LedgerException.Kind.MALFORMED, "invalid-cursor", "Invalid cursor",
                "after must be a cursor from a previous page's \"next\"", Map.of("parameter", "after"), null);
    }

    static long indexCursor(String after) {
        if (after == null || after.isEmpty()) {
            return -1;
        }
        LedgerException invalid = new LedgerException(LedgerException.Kind.MALFORMED, "invalid-cursor",
                "Invalid cursor", "after must be a log index from a previous page's \"next\"",
                Map.of("parameter", "after"), null);
        if (!after.matches("0|[1-9]\\d{0,18}")) {
            throw invalid;
        }
        try {
            return Long.parseLong(after); // 19 digits may still exceed a long
        } catch (NumberFormatException e) {
            throw invalid;
        }
    }
}
