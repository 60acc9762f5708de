package org.fabtrail.ledger;

import java.util.Map;
import java.util.Optional;

/**
 * Which characters Fabtrail accepts in text a client sends, and the one refusal it answers when they are not.
 *
 * <p>PostgreSQL cannot store U+0000 in {@code text}, terminals and CSV readers misbehave on other control
 * characters, and a lone surrogate is not text at all. Every string a client can shape (payload strings, path
 * segments, query parameters, cursors, form fields) is checked at admission, before it reaches a rule, a query or
 * the sequencer, so such input is refused with a 400 naming the field instead of failing later (and never fails
 * anyone else's request).
 *
 * <ul>
 *   <li>{@link #multiLine}: free text that may span lines (names, notes, PEM, reasons): refuses every C0 control
 *       except TAB, LF and CR; DEL; every C1 control (U+0080..U+009F); lone surrogates; U+FFFE and U+FFFF.</li>
 *   <li>{@link #singleLine}: identifiers, path segments, query parameters, cursors: the above and TAB, LF, CR
 *       too.</li>
 * </ul>
 */
public final class SafeText {

    /** The problem code of every refusal ({@code urn:fabtrail:problem:invalid-text}). */
    public static final String CODE = "invalid-text";

    private SafeText() {
    }

    /** The first character of {@code s} that free text may not hold, described; empty when all is well. */
    public static Optional<String> multiLineFault(String s) {
        return fault(s, true);
    }

    /** The first character of {@code s} that a single-line value may not hold, described; empty when all is well. */
    public static Optional<String> singleLineFault(String s) {
        return fault(s, false);
    }

    /** True when {@code s} may be stored as free text. */
    public static boolean isMultiLine(String s) {
        return s == null || fault(s, true).isEmpty();
    }

    /** True when {@code s} may be used as a single-line value. */
    public static boolean isSingleLine(String s) {
        return s == null || fault(s, false).isEmpty();
    }

    /**
     * {@code s} without the characters a single-line value may not hold (controls, lone surrogates, U+FFFE and
     * U+FFFF), for a name a client gave that is shown rather than refused (an uploaded file's name).
     */
    public static String withoutFaults(String s) {
        StringBuilder kept = new StringBuilder(s.length());
        s.codePoints().filter(cp -> fault(Character.toString(cp), false).isEmpty()).forEach(kept::appendCodePoint);
        return kept.toString();
    }

    /**
     * Refuses free text that may not be stored.
     *
     * @param field where the value came from, as the client knows it ({@code payload.name}, {@code name})
     * @return {@code s}, for chaining
     * @throws LedgerException MALFORMED {@value #CODE} naming {@code field}
     */
    public static String multiLine(String field, String s) {
        fault(s, true).ifPresent(f -> {
            throw refusal(field, f);
        });
        return s;
    }

    /**
     * Refuses a single-line value (identifier, parameter, cursor) holding any control character.
     *
     * @throws LedgerException MALFORMED {@value #CODE} naming {@code field}
     */
    public static String singleLine(String field, String s) {
        fault(s, false).ifPresent(f -> {
            throw refusal(field, f);
        });
        return s;
    }

    /** The refusal for {@code field}, whose first bad character is described by {@code fault}. */
    public static LedgerException refusal(String field, String fault) {
        return new LedgerException(LedgerException.Kind.MALFORMED, CODE, "Text not allowed",
                field + " holds " + fault + ", which Fabtrail does not accept in text",
                Map.of("field", field), null);
    }

    /** The refusal for the request parameter {@code name}: {@link #refusal} that also names it as the parameter. */
    public static LedgerException parameterRefusal(String name, String fault) {
        LedgerException e = refusal(name, fault);
        return new LedgerException(e.kind(), e.code(), e.title(), e.detail(),
                Map.of("field", name, "parameter", name), null);
    }

    private static Optional<String> fault(String s, boolean lineBreaksAllowed) {
        if (s == null) {
            return Optional.empty();
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                continue; // printable ASCII: the common case
            }
            boolean bad;
            if (c == '\t' || c == '\n' || c == '\r') {
                bad = !lineBreaksAllowed;
            } else if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\uFFFE' || c == '\uFFFF') {
                bad = true;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                bad = true;
            } else {
                bad = Character.isLowSurrogate(c);
            }
            if (bad) {
                return Optional.of(String.format("the character U+%04X at position %d", (int) c, i));
            }
        }
        return Optional.empty();
    }
}
