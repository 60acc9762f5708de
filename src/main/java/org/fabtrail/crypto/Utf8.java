package org.fabtrail.crypto;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding, for the signed formats: malformed bytes are refused, never replaced. */
public final class Utf8 {

    private Utf8() {
    }

    /**
     * The bytes as text, or null when they are not well-formed UTF-8; then {@code errorOffset[0]} is the byte offset
     * at which decoding stopped.
     */
    public static String decode(byte[] bytes, int[] errorOffset) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            errorOffset[0] = in.position();
            return null;
        }
        out.flip();
        return out.toString();
    }
}
