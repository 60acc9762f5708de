package org.fabtrail.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.fabtrail.testing.ParserFuzzTest;

/**
 * Fuzzes CRL parsing ({@link X509DeviceIdentity#parseCrl}) twice per input: as a whole CRL, and as the signed part
 * ({@code TBSCertList}) of a CRL that {@link FuzzCa} signs in the test, so that input past the signature check (dates,
 * entries, the cRLNumber extension) is fuzzed too. Every refusal is a {@link DeviceIdentity.Refused} with a documented
 * code; an accepted CRL names the CA, and a chain checked against it answers reason codes, never an exception.
 * Seeds: {@code CrlFuzzTestInputs/parse} (CRLs FuzzCa issued and their TBSCertLists).
 */
class CrlFuzzTest {

    private static final Set<String> REFUSALS = Set.of("invalid-crl", "unknown-ca", "crl-signature-invalid");
    private static final byte[] ED25519 = der(new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.3.101.112")));

    private final X509DeviceIdentity identity = new X509DeviceIdentity();

    @ParserFuzzTest
    void parse(byte[] input) {
        check(input);
        check(signedCrl(input));
    }

    private void check(byte[] crl) {
        DeviceIdentity.Crl parsed;
        try {
            parsed = identity.parseCrl(crl, List.of(FuzzCa.REGISTERED));
        } catch (DeviceIdentity.Refused refused) {
            assertTrue(REFUSALS.contains(refused.code()), refused.code());
            return;
        }
        assertEquals(FuzzCa.CA_ID, parsed.caId());
        assertNotNull(parsed.thisUpdate());
        assertTrue(parsed.revoked() >= 0);
        DeviceIdentity.Trust withCrl = new DeviceIdentity.Trust(Map.of(FuzzCa.CA_ID, FuzzCa.CA.der()), Set.of(),
                Map.of(FuzzCa.CA_ID, crl));
        DeviceCertificateFuzzTest.checkReasons(identity.checkChain(FuzzCa.DEVICE.der(), List.of(), FuzzCa.NOW,
                withCrl));
    }

    /** {@code SEQUENCE { tbs, Ed25519, BIT STRING signature-of-tbs }}: the input as FuzzCa's signed TBSCertList. */
    private static byte[] signedCrl(byte[] tbs) {
        byte[] signature = der(new DERBitString(FuzzCa.KEY.sign(tbs)));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(tbs);
        body.writeBytes(ED25519);
        body.writeBytes(signature);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        int n = body.size();
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] der(org.bouncycastle.asn1.ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
