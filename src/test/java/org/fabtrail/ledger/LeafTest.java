package org.fabtrail.ledger;

import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.custody.OperatorEntries;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The sequencer's fast leaf assembly is exactly the RFC 8785 form of {"envelope","index","integratedTime"}. */
class LeafTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 9, 10, 255, 4096, 9_007_199_254_740_991L})
    void fastLeafEqualsCanonicalisedLeaf(long index) {
        EnvelopeParser parser = new EnvelopeParser(65536);
        SigningKey key = SigningKey.generate(index % 2 == 0 ? SignatureAlgorithm.ED25519 : SignatureAlgorithm.ES256);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("site", "zürich-1");
        fields.put("name", "Rechenzentrum \u201cNord\u201d \ud83d\ude80 <tab>\t");
        fields.put("country", "CH");
        fields.put("address", "Bahnhofstrasse 1\n8001 Z\u00fcrich");
        fields.put("latitude", 47.3769);
        fields.put("longitude", 8.5417e0);
        Envelope e = OperatorEntries.signAs(key, "acme", UUID.randomUUID(), "site.register", fields, parser,
                Clock.systemUTC());
        Instant t = Instant.parse("2026-11-27T05:59:00.07Z");
        Map<String, Object> leaf = new LinkedHashMap<>();
        leaf.put("integratedTime", Receipts.formatTime(t));
        leaf.put("index", index);
        leaf.put("envelope", e.json());
        assertArrayEquals(Jcs.canonicalize(leaf), Sequencer.leaf(e, index, t));
        // and after a round trip through the wire format
        Envelope again = parser.parse(Jcs.canonicalString(e.json()));
        assertArrayEquals(Jcs.canonicalize(leaf), Sequencer.leaf(again, index, t));
    }
}
