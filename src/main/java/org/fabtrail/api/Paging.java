package org.fabtrail.api;

import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.LedgerException;

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

    static UnitKey unitCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int slash = s.indexOf('/');
            String manufacturer = s.substring(0, slash);
            String serial = s.substring(slash + 1);
            // only what a page could have issued reaches a query (not a NUL, which PostgreSQL refuses)
            if (EnvelopeParser.SLUG.matcher(manufacturer).matches() && UnitKey.SERIAL.matcher(serial).matches()) {
                return new UnitKey(manufacturer, serial);
            }
        } catch (RuntimeException e) {
            // not base64url, or no slash
        }
        throw new LedgerException(LedgerException.Kind.MALFORMED, "invalid-cursor", "Invalid cursor",
                "after must be a cursor from a previous page's \"next\"", Map.of("parameter", "after"), null);
    }

    static long indexCursor(String after) {
        if (after == null || after.isEmpty()) {
            return -1;
        }
        try {
            if (after.matches("0|[1-9]\\d{0,18}")) {
                return Long.parseLong(after);
            }
        } catch (NumberFormatException beyondLong) {
            // 19 digits may still exceed Long.MAX_VALUE: no page could have issued it
        }
        throw new LedgerException(LedgerException.Kind.MALFORMED, "invalid-cursor", "Invalid cursor",
                "after must be a log index from a previous page's \"next\"", Map.of("parameter", "after"), null);
    }
}
