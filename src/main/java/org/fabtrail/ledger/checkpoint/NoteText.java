package org.fabtrail.ledger.checkpoint;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Shared rules of the signed-note format: key names, key hashes, strict base64, UTF-8. */
final class NoteText {

    /** Signature type byte of Ed25519 note signatures (c2sp.org/signed-note). */
    static final byte TYPE_ED25519 = 0x01;
    /** Signature type byte of timestamped Ed25519 witness cosignatures (c2sp.org/tlog-cosignature, v1). */
    static final byte TYPE_COSIGNATURE_V1 = 0x04;

    private NoteText() {
    }

    /**
     * A key name is non-empty and contains no Unicode space (the White_Space property, as Go's
     * unicode.IsSpace), no '+', no control character and no lone surrogate.
     */
    static String nameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "key name is empty";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '+') {
                return "key name contains '+'";
            }
            if (isUnicodeSpace(c)) {
                return "key name contains a space character (U+" + hex4(c) + ")";
            }
            if (c < 0x20) {
                return "key name contains a control character (U+" + hex4(c) + ")";
            }
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "key name contains a lone surrogate";
            }
        }
        return null;
    }

    static void requireValidName(String name) {
        String problem = nameProblem(name);
        if (problem != null) {
            throw new NoteFormatException(problem);
        }
    }

    /** Unicode White_Space: Zs, Zl, Zp, U+0009..U+000D and U+0085. */
    static boolean isUnicodeSpace(char c) {
        return (c >= 0x09 && c <= 0x0d) || c == 0x85 || Character.isSpaceChar(c);
    }

    /** key hash = SHA-256(name || 0x0A || type || public key)[:4], big-endian. */
    static int keyHash(String name, byte type, byte[] publicKey) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
        sha256.update(name.getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) '\n');
        sha256.update(type);
        sha256.update(publicKey);
        byte[] h = sha256.digest();
        return ((h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
    }

    static String hex8(int keyHash) {
        return String.format("%08x", keyHash);
    }

    /** Parses exactly eight lowercase hex digits, or returns null. */
    static Integer parseHex8(String s) {
        if (s.length() != 8) {
            return null;
        }
        int v = 0;
        for (int i = 0; i < 8; i++) {
            char c = s.charAt(i);
            int d;
            if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                d = c - 'a' + 10;
            } else {
                return null;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    /** Standard base64 with padding, canonical (no stray padding bits), or null. */
    static byte[] decodeBase64(String s) {
        if (s.isEmpty() || s.length() % 4 != 0) {
            return null;
        }
        byte[] out;
        try {
            out = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return Base64.getEncoder().encodeToString(out).equals(s) ? out : null;
    }

    /** The parts of an encoded key: its name, key hash and base64-decoded typed key (type byte first). */
    record KeyParts(String name, int hash, byte[] typedKey) {
    }

    /**
     * Splits {@code key} from {@code start} as {@code <name>+<hex key hash>+<base64 typed key>} on its first two
     * {@code '+'} after it, the name checked; {@code what} ("vkey", "skey") and {@code form} name it in the messages.
     */
    static KeyParts keyParts(String key, int start, String what, String form) {
        int plusA = key.indexOf('+', start);
        int plusB = plusA < 0 ? -1 : key.indexOf('+', plusA + 1);
        if (plusB < 0) {
            throw new NoteFormatException(what + " must have the form " + form);
        }
        String name = key.substring(start, plusA);
        requireValidName(name);
        Integer hash = parseHex8(key.substring(plusA + 1, plusB));
        if (hash == null) {
            throw new NoteFormatException(what + " key hash must be eight lowercase hex digits");
        }
        byte[] typedKey = decodeBase64(key.substring(plusB + 1));
        if (typedKey == null) {
            throw new NoteFormatException(what + " key is not canonical padded base64");
        }
        return new KeyParts(name, hash, typedKey);
    }

    /** First problem with free text that goes into a note (control characters, lone surrogates). */
    static String textProblem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\n') {
                return "control character U+" + hex4(c) + " at offset " + i;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "lone surrogate at offset " + i;
            }
        }
        return null;
    }

    static String hex4(char c) {
        return String.format("%04X", (int) c);
    }
}
