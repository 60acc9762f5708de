package org.fabtrail.api;

import org.fabtrail.custody.UnitKey;
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
            throw invalidParameter("limit", "limit must be 1 to " + max + ", not \"" + value + "\"");
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
        return UnitKey.parse(s).orElseThrow(Paging::invalidUnitCursor);
    }

    private static LedgerException invalidUnitCursor() {
        return new LedgerException(LedgerException.Kind.MALFORMED, "invalid-cursor", "Invalid cursor",
                "after must be a cursor from a previous page's \"next\"", Map.of("parameter", "after"), null);
    }

    static long indexCursor(String after) {
        if (after == null || after.isEmpty()) {
            return -1;
        }
        return logIndex(after).orElseThrow(() -> new LedgerException(LedgerException.Kind.MALFORMED, "invalid-cursor",
                "Invalid cursor", "after must be a log index from a previous page's \"next\"",
                Map.of("parameter", "after"), null));
    }

    /** The log index a parameter names (decimal, no sign or leading zero, at most a long), or none. */
    private static java.util.OptionalLong logIndex(String value) {
        if (!value.matches("0|[1-9]\\d{0,18}")) {
            return java.util.OptionalLong.empty();
        }
        try {
            return java.util.OptionalLong.of(Long.parseLong(value)); // 19 digits may still exceed a long
        } catch (NumberFormatException e) {
            return java.util.OptionalLong.empty();
        }
    }

    /** A filter's log index ({@code since}): null when absent, else {@code 400 invalid-parameter} unless an index. */
    static Long indexParameter(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return logIndex(value).orElseThrow(() -> invalidParameter(name, name + " must be a log index (0 to "
                + Long.MAX_VALUE + "), not \"" + value + "\""));
    }

    static LedgerException invalidParameter(String name, String detail) {
        return new LedgerException(LedgerException.Kind.MALFORMED, "invalid-parameter", "Invalid parameter", detail,
                Map.of("parameter", name), null);
    }

    /** A position in the units' changes: after the units changed at {@code index} up to {@code unit} (null: all). */
    record ChangePosition(long index, UnitKey unit) {
    }

    /** {@code <index>.<unit cursor>}: the position of the last unit of a page of changes. */
    static String changeCursor(long index, UnitKey unit) {
        return index + "." + unitCursor(unit);
    }

    /**
     * The position {@code after} names in the units' changes: a log index (the units changed after it) or a previous
     * page's {@code next}; absent means from the start of the log.
     */
    static ChangePosition changeCursor(String after) {
        if (after == null || after.isEmpty()) {
            return new ChangePosition(-1, null);
        }
        int dot = after.indexOf('.');
        java.util.OptionalLong index = logIndex(dot < 0 ? after : after.substring(0, dot));
        if (index.isEmpty() || dot == after.length() - 1) {
            throw new LedgerException(LedgerException.Kind.MALFORMED, "invalid-cursor", "Invalid cursor",
                    "after must be a log index or a previous page's \"next\"", Map.of("parameter", "after"), null);
        }
        return new ChangePosition(index.getAsLong(), dot < 0 ? null : unitCursor(after.substring(dot + 1)));
    }
}
