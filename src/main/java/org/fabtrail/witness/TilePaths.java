package org.fabtrail.witness;

/** C2SP tlog-tiles paths: {@code tile/<L>/<N>[.p/<W>]}, N in groups of three digits, all but the last prefixed x. */
final class TilePaths {

    private TilePaths() {
    }

    /** @param width 256 (or 0) for a full tile, 1 to 255 for a partial one */
    static String path(int level, long index, int width) {
        String digits = Long.toString(index);
        digits = "0".repeat((3 - digits.length() % 3) % 3) + digits;
        StringBuilder sb = new StringBuilder("tile/").append(level).append('/');
        for (int i = 0; i < digits.length(); i += 3) {
            if (i + 3 < digits.length()) {
                sb.append('x').append(digits, i, i + 3).append('/');
            } else {
                sb.append(digits, i, i + 3);
            }
        }
        if (width > 0 && width < 256) {
            sb.append(".p/").append(width);
        }
        return sb.toString();
    }
}
