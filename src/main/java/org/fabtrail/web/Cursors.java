package org.fabtrail.web;

import org.fabtrail.custody.UnitKey;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Opaque page cursors in links; a malformed cursor is ignored (the first page is shown). */
public final class Cursors {

    private Cursors() {
    }

    public static String unit(UnitKey k) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((k.manufacturer() + "/" + k.serial()).getBytes(StandardCharsets.UTF_8));
    }

    public static Optional<UnitKey> unit(String cursor) {
        if (cursor == null || cursor.isEmpty() || cursor.length() > 200) {
            return Optional.empty();
        }
        try {
            return UnitKey.parse(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A log index cursor ("before this dispatch"). */
    public static Long index(String cursor) {
        return cursor != null && cursor.matches("0|[1-9]\\d{0,17}") ? Long.valueOf(cursor) : null;
    }
}
