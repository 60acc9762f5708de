package org.fabtrail.custody;

import java.util.regex.Pattern;

/** A unit's identity: its manufacturer's organisation id and its serial, exactly as registered. */
public record UnitKey(String manufacturer, String serial) implements Comparable<UnitKey> {

    /** Serials: case-sensitive, never normalised; anything else is refused. */
    public static final Pattern SERIAL = Pattern.compile("[A-Za-z0-9._-]{1,64}");

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
