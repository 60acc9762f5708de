package org.fabtrail.testing;

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
}
