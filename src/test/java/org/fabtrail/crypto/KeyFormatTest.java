package org.fabtrail.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyFormatTest {

    private static final String OPENSSL = "openssl/";
    private static final String ED_PUBLIC = TestResources.utf8(OPENSSL + "ed25519-public.pem");
    private static final String P256_PUBLIC = TestResources.utf8(OPENSSL + "p256-public.pem");
    private static final String ED_PRIVATE = TestResources.utf8(OPENSSL + "ed25519-private.pem");
    private static final String P256_PRIVATE = TestResources.utf8(OPENSSL + "p256-private.pem");

    /** Each file of rejected/ read as a key of the kind it is offered as, and a part of the message it must give. */
    @ParameterizedTest
    @CsvSource({
        "public,   rsa2048-public.pem,                   RSA",
        "public,   p384-public.pem,                      secp384r1",
        "public,   secp256k1-public.pem,                 secp256k1",
        "public,   ed448-public.pem,                     Ed448",
        "public,   x25519-public.pem,                    X25519",
        "public,   p256-compressed-public.pem,           compressed EC points are not accepted",
        "public,   p256-explicit-params-public.pem,      explicit curve parameters",
        "public,   rsa2048-private.pem,                  expected a public key but got a private key",
        "public,   p256-sec1-private.pem,                expected a public key but got a private key",
        "private,  rsa2048-private.pem,                  RSA",
        "private,  p384-private.pem,                     unsupported EC curve secp384r1 (1.3.132.0.34)",
        "private,  p256-sec1-private.pem,                openssl pkcs8 -topk8 -nocrypt",
        "private,  p256-encrypted-private.pem,           encrypted private keys are not supported",
        "private,  p256-explicit-params-private.pem,     explicit curve parameters",
        "private,  rsa2048-public.pem,                   expected a private key but got a public key",
    })
    void keysOfOtherKindsAreRejectedWithAClearMessage(String offeredAs, String file, String messagePart) {
        String pem = TestResources.utf8(OPENSSL + "rejected/" + file);
        KeyFormatException e = assertThrows(KeyFormatException.class, () -> {
            if (offeredAs.equals("public")) {
                VerificationKey.fromPem(pem);
            } else {
                SigningKey.fromPkcs8Pem(pem);
            }
        });
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    @Test
    void garbageIsRejected() {
        assertThrows(KeyFormatException.class, () -> VerificationKey.fromPem("hello"));
        assertThrows(KeyFormatException.class, () -> VerificationKey.fromPem(""));
        assertThrows(KeyFormatException.class, () -> VerificationKey.fromPem(null));
        assertThrows(KeyFormatException.class, () -> VerificationKey.fromSpki(new byte[0]));
        assertThrows(KeyFormatException.class, () -> VerificationKey.fromSpki(new byte[] {0x30, 0x00}));
        assertThrows(KeyFormatException.class, () -> VerificationKey.fromSpki(new byte[] {0x30, 0x05, 0x01}));
        assertThrows(KeyFormatException.class, () -> VerificationKey.fromSpki(null));
        assertThrows(KeyFormatException.class,
                () -> VerificationKey.fromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"));
        assertThrows(KeyFormatException.class, () -> SigningKey.fromPkcs8Pem("garbage"));
        assertThrows(KeyFormatException.class,
                () -> SigningKey.fromPkcs8Pem("-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n"));
    }

    @Test
    void trailingBytesAndNonDerEncodingsOfTheSpkiAreRejected() {
        byte[] spki = VerificationKey.fromPem(ED_PUBLIC).spki();
        byte[] trailing = Arrays.copyOf(spki, spki.length + 1);
        // Same SEQUENCE with a BER long-form length (0x81 0x2a instead of 0x2a).
        byte[] longForm = new byte[spki.length + 1];
        longForm[0] = 0x30;
        longForm[1] = (byte) 0x81;
        System.arraycopy(spki, 1, longForm, 2, spki.length - 1);

        assertEquals(VerificationKey.fromPem(ED_PUBLIC), VerificationKey.fromSpki(spki));
        KeyFormatException e1 = assertThrows(KeyFormatException.class, () -> VerificationKey.fromSpki(trailing));
        KeyFormatException e2 = assertThrows(KeyFormatException.class, () -> VerificationKey.fromSpki(longForm));
        assertTrue(e1.getMessage().contains("SubjectPublicKeyInfo"), e1.getMessage());
        assertTrue(e2.getMessage().contains("not strict DER"), e2.getMessage());
    }

    @Test
    void ed25519SpkiWithParametersIsRejected() {
        // 30 2c 30 07 06 03 2b6570 05 00 03 21 00 <32 bytes>: NULL parameters are forbidden by RFC 8410.
        byte[] raw = VerificationKey.fromPem(ED_PUBLIC).rawPublicKey();
        byte[] spki = HexFormat.of().parseHex("302c300706032b65700500032100" + HexFormat.of().formatHex(raw));

        KeyFormatException e = assertThrows(KeyFormatException.class, () -> VerificationKey.fromSpki(spki));
        assertTrue(e.getMessage().contains("must not have parameters"), e.getMessage());
    }

    @Test
    void aP256PointOffTheCurveIsRejected() {
        byte[] spki = VerificationKey.fromPem(P256_PUBLIC).spki();
        spki[spki.length - 1] ^= 0x01;

        KeyFormatException e = assertThrows(KeyFormatException.class, () -> VerificationKey.fromSpki(spki));
        assertTrue(e.getMessage().contains("not a"), e.getMessage());
    }

    @Test
    void multiplePemBlocksAndSurroundingTextAreRejected() {
        KeyFormatException twice = assertThrows(KeyFormatException.class,
                () -> VerificationKey.fromPem(ED_PUBLIC + P256_PUBLIC));
        assertTrue(twice.getMessage().contains("exactly one PEM block"), twice.getMessage());
        assertThrows(KeyFormatException.class, () -> VerificationKey.fromPem("key:\n" + ED_PUBLIC));
        assertThrows(KeyFormatException.class, () -> SigningKey.fromPkcs8Pem(ED_PRIVATE + ED_PRIVATE));
    }

    @Test
    void pemToleratesCrlfAndSurroundingWhitespaceButNotBrokenBase64() {
        assertEquals(VerificationKey.fromPem(P256_PUBLIC), VerificationKey.fromPem("\r\n " + P256_PUBLIC.replace("\n", "\r\n")));
        String body = ED_PUBLIC.split("\n")[1];
        String unpadded = "-----BEGIN PUBLIC KEY-----\n" + body.replace("=", "") + "\n-----END PUBLIC KEY-----\n";
        String bad = "-----BEGIN PUBLIC KEY-----\n" + body.replace('A', '*') + "\n-----END PUBLIC KEY-----\n";
        String mismatched = "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
        assertThrows(KeyFormatException.class, () -> VerificationKey.fromPem(unpadded));
        assertThrows(KeyFormatException.class, () -> VerificationKey.fromPem(bad));
        assertThrows(KeyFormatException.class, () -> VerificationKey.fromPem(mismatched));
    }

    @Test
    void pemEncodeWritesSixtyFourColumnLines() {
        byte[] der = new byte[100];
        String pem = Pem.encode("TEST", der);
        String[] lines = pem.split("\n");

        assertEquals("-----BEGIN TEST-----", lines[0]);
        assertEquals(64, lines[1].length());
        String b64 = Base64.getEncoder().encodeToString(der);
        assertEquals(5, lines.length);
        assertEquals(b64.substring(0, 64), lines[1]);
        assertEquals(b64.substring(64, 128), lines[2]);
        assertEquals(b64.substring(128), lines[3]);
        assertEquals("-----END TEST-----", lines[4]);
        assertTrue(pem.endsWith("-----\n"));
        assertArrayEquals(der, Pem.decode(pem, "TEST"));
    }

    @Test
    void aPkcs8KeyWhoseEmbeddedPublicKeyDoesNotMatchIsRejected() {
        byte[] der = Pem.decode(P256_PRIVATE, "PRIVATE KEY");
        byte[] ownPublic = VerificationKey.fromPem(P256_PUBLIC).rawPublicKey();
        byte[] otherPublic = SigningKey.generate(SignatureAlgorithm.ES256).verificationKey().rawPublicKey();
        String hex = HexFormat.of().formatHex(der);
        assertTrue(hex.endsWith(HexFormat.of().formatHex(ownPublic)));
        byte[] swapped = HexFormat.of().parseHex(hex.replace(HexFormat.of().formatHex(ownPublic),
                HexFormat.of().formatHex(otherPublic)));

        KeyFormatException e = assertThrows(KeyFormatException.class,
                () -> SigningKey.fromPkcs8Pem(Pem.encode("PRIVATE KEY", swapped)));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    }

    @Test
    void toStringNeverRevealsKeyMaterial() {
        for (String pem : new String[] {ED_PRIVATE, P256_PRIVATE}) {
            SigningKey key = SigningKey.fromPkcs8Pem(pem);
            String text = key.toString();
            String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");

            assertEquals("SigningKey[" + key.algorithm().wireName() + ", keyId=" + key.keyId() + "]", text);
            assertFalse(text.contains(body.substring(0, 16)));
            assertFalse(key.verificationKey().toString().contains("PRIVATE"));
        }
        SigningKey ed = SigningKey.fromPkcs8Pem(ED_PRIVATE);
        assertFalse(ed.toString().contains(HexFormat.of().formatHex(ed.ed25519Seed())));
    }

    @Test
    void ed25519SeedIsOnlyAvailableForEd25519Keys() {
        SigningKey es = SigningKey.fromPkcs8Pem(P256_PRIVATE);
        assertThrows(IllegalStateException.class, es::ed25519Seed);
        assertEquals(32, SigningKey.fromPkcs8Pem(ED_PRIVATE).ed25519Seed().length);
    }

    @Test
    void accessorsReturnCopies() {
        VerificationKey vk = VerificationKey.fromPem(ED_PUBLIC);
        vk.spki()[0] ^= 1;
        vk.rawPublicKey()[0] ^= 1;
        SigningKey key = SigningKey.fromPkcs8Pem(ED_PRIVATE);
        key.ed25519Seed()[0] ^= 1;

        assertEquals(VerificationKey.fromPem(ED_PUBLIC), vk);
        assertEquals(vk, key.verificationKey());
    }

    @Test
    void wireNamesAreExactAndCaseSensitive() {
        assertEquals(Optional.of(SignatureAlgorithm.ED25519), SignatureAlgorithm.fromWireName("Ed25519"));
        assertEquals(Optional.of(SignatureAlgorithm.ES256), SignatureAlgorithm.fromWireName("ES256"));
        assertEquals("Ed25519", SignatureAlgorithm.ED25519.wireName());
        assertEquals("ES256", SignatureAlgorithm.ES256.wireName());
        assertEquals(Optional.empty(), SignatureAlgorithm.fromWireName("ed25519"));
        assertEquals(Optional.empty(), SignatureAlgorithm.fromWireName("ED25519"));
        assertEquals(Optional.empty(), SignatureAlgorithm.fromWireName("es256"));
        assertEquals(Optional.empty(), SignatureAlgorithm.fromWireName("EdDSA"));
        assertEquals(Optional.empty(), SignatureAlgorithm.fromWireName(" Ed25519"));
        assertEquals(Optional.empty(), SignatureAlgorithm.fromWireName(null));
    }
}
