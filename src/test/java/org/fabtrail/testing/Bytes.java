package org.fabtrail.testing;

import java.util.stream.IntStream;

/** Byte-array helpers for the tests that write a format out from its specification with the JDK alone. */
public final class Bytes {

    private Bytes() {
    }

    /** The parts one after the other. */
    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /**
     * The offsets, from {@code from} on and in order, of the bytes of JSON text that are outside its string literals
     * (a literal's quotes count as inside it, and so does an escaped character).
     */
    public static int[] outsideJsonStrings(byte[] json, int from) {
        IntStream.Builder out = IntStream.builder();
        boolean inString = false;
        for (int i = from; i < json.length; i++) {
            byte b = json[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else {
                out.add(i);
            }
        }
        return out.build().toArray();
    }
}
