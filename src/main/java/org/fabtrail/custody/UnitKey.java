package org.fabtrail.custody;

import org.fabtrail.ledger.EnvelopeParser;

import java.util.Optional;
import java.util.regex.Pattern;

/** A unit's identity: its manufacturer's organisation id and its serial, exactly as registered. */
public record UnitKey(String manufacturer, String serial) implements Comparable<UnitKey> {

    /** Serials: case-sensitive, never normalised; anything else is refused. */
    public static final Pattern SERIAL = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /**
     * The unit written as {@link #toString()} does ({@code manufacturer/serial}), or empty when the text is not one:
     * no slash, a manufacturer that is not an organisation id, or a serial that {@link #SERIAL} refuses.
     */
    public static Optional<UnitKey> parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String manufacturer = text.substring(0, slash);
        String serial = text.substring(slash + 1);
        if (!EnvelopeParser.SLUG.matcher(manufacturer).matches() || !SERIAL.matcher(serial).matches()) {
            return Optional.empty();
        }
        return Optional.of(new UnitKey(manufacturer, serial));
    }

    @Override
    public int compareTo(UnitKey o) {
        int c = manufacturer.compareTo(o.manufacturer);
        return c != 0 ? c : serial.compareTo(o.serial);
    }

    @Override
    public String toString() {
        return manufacturer + "/" + serial;
    }
}
