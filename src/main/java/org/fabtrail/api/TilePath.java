package org.fabtrail.api;

import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The address of a C2SP tlog-tiles hash tile, {@code tile/<L>/<N>[.p/<W>]}: its level, its index {@code N} (written in
 * groups of three digits, all but the last prefixed with {@code x}) and, for a partial tile, its width. A pure parser
 * for {@link LogResource#tile}: every path either names exactly one tile or is refused with a 404 problem.
 *
 * @param level the tile level, 0 to 63
 * @param index the tile index, 0 or more
 * @param width the number of hashes, 1 to {@link Ledger#TILE_WIDTH}; less for a partial tile
 */
record TilePath(int level, long index, int width) {

    private static final Pattern INDEX = Pattern.compile("((?:x\\d{3}/)*)(\\d{3})(?:\\.p/([1-9]\\d{0,2}))?");
    private static final Pattern LEVEL = Pattern.compile("0|[1-9]\\d?");

    /**
     * Parses the two path parameters of a tile request.
     *
     * @param level the {@code <L>} segment
     * @param path  what follows it: {@code <N>[.p/<W>]}
     * @throws LedgerException NOT_FOUND {@code not-public} for entry bundles, {@code no-such-tile} for anything that
     *                         is not a canonical tile path (the only answers: a client shapes these strings)
     */
    static TilePath parse(String level, String path) {
        if ("entries".equals(level)) {
            throw new LedgerException(LedgerException.Kind.NOT_FOUND, "not-public", "Not public",
                    "Entry bundles are not served publicly: entries hold custody data. Hash tiles, checkpoints and "
                            + "proofs are public.");
        }
        Matcher m = INDEX.matcher(path);
        if (!LEVEL.matcher(level).matches() || Integer.parseInt(level) > 63 || !m.matches()
                || m.group(1).startsWith("x000/")) {
            throw noSuchTile("Tile paths are tile/<L>/<N>[.p/<W>] with N in 3-digit groups, e.g. tile/0/x001/234.p/17");
        }
        long n = 0;
        try {
            for (String group : (m.group(1) + m.group(2)).split("/")) {
                n = Math.addExact(Math.multiplyExact(n, 1000),
                        Long.parseLong(group.startsWith("x") ? group.substring(1) : group));
            }
        } catch (ArithmeticException e) {
            throw noSuchTile("The tile index is larger than any log can hold");
        }
        int width = Ledger.TILE_WIDTH;
        if (m.group(3) != null) {
            width = Integer.parseInt(m.group(3));
            if (width >= Ledger.TILE_WIDTH) {
                throw noSuchTile("A partial tile's width is 1 to 255");
            }
        }
        return new TilePath(Integer.parseInt(level), n, width);
    }

    /** @return the {@code <N>[.p/<W>]} part of this tile's path, as {@link #parse} accepts it */
    String indexPath() {
        String digits = Long.toString(index);
        digits = "0".repeat((3 - digits.length() % 3) % 3) + digits;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < digits.length(); i += 3) {
            if (i + 3 < digits.length()) {
                sb.append('x');
            }
            sb.append(digits, i, i + 3);
            if (i + 3 < digits.length()) {
                sb.append('/');
            }
        }
        if (width < Ledger.TILE_WIDTH) {
            sb.append(".p/").append(width);
        }
        return sb.toString();
    }

    private static LedgerException noSuchTile(String detail) {
        return new LedgerException(LedgerException.Kind.NOT_FOUND, "no-such-tile", "No such tile", detail);
    }
}
