package org.fabtrail.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fabtrail.crypto.JsonFormatException;
import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.StrictJson;
import org.fabtrail.testing.Fuzzing;
import org.fabtrail.testing.ParserFuzzTest;

/**
 * Fuzzes {@link EnvelopeParser}: any bytes are an envelope or a {@link LedgerException} of kind MALFORMED with a
 * problem code, never another exception. An accepted envelope keeps its invariants (its canonical payload and
 * envelope are RFC 8785 of what it holds, its hash is of the canonical payload, its fields are the payload's), and a
 * batch item (the same JSON, parsed first) gets the same answer as a single submission. Seeds:
 * {@code EnvelopeParserFuzzTestInputs/parse}.
 */
class EnvelopeParserFuzzTest {

    private static final int MAX_BYTES = 65536;
    private final EnvelopeParser parser = new EnvelopeParser(MAX_BYTES);

    @ParserFuzzTest
    void parse(byte[] input) {
        Fuzzing.parseOrRefuse(input, parser::parse, LedgerException.class, refused -> {
            checkRefusal(refused);
            if (!refused.code().equals("invalid-json") && !refused.code().equals("entry-too-large")) {
                LedgerException asItem = assertThrows(LedgerException.class,
                        () -> parser.fromBatchItem(StrictJson.parse(input)),
                        "a batch item was accepted that a single submission refuses with " + refused.code());
                checkRefusal(asItem);
                assertEquals(refused.code(), asItem.code());
            }
        }, single -> checkAccepted(input, single));
    }

    /** The invariants of an accepted envelope, and the same envelope as a batch item. */
    private void checkAccepted(byte[] input, Envelope single) {
        assertEquals(single.id().toString(), single.payload().get("id"));
        assertEquals(single.type(), single.payload().get("type"));
        assertEquals(single.actor(), single.payload().get("actor"));
        assertSame(single.payload(), single.json().get("payload"));
        assertArrayEquals(Jcs.canonicalize(single.payload()), single.canonicalPayload());
        assertArrayEquals(EnvelopeParser.sha256(single.canonicalPayload()), single.payloadHash());
        assertArrayEquals(Jcs.canonicalize(single.json()), single.canonicalEnvelope());
        assertEquals(single.algorithm().wireName(), ((java.util.Map<?, ?>) single.json().get("signature")).get("alg"));

        Envelope item = parser.fromBatchItem(parsed(input));
        assertArrayEquals(single.canonicalEnvelope(), item.canonicalEnvelope());
        assertArrayEquals(single.signature(), item.signature());
        assertEquals(single.time(), item.time());
    }

    private static void checkRefusal(LedgerException refused) {
        assertEquals(LedgerException.Kind.MALFORMED, refused.kind(), refused.code());
        assertTrue(refused.code().matches("[a-z0-9]+(-[a-z0-9]+)*"), refused.code());
        assertNotNull(refused.detail());
    }

    private static Object parsed(byte[] input) {
        try {
            return StrictJson.parse(input);
        } catch (JsonFormatException e) {
            throw new AssertionError("an accepted envelope is not strict JSON", e);
        }
    }
}
