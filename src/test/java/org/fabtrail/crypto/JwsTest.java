package org.fabtrail.crypto;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** ID token signatures: RS256 and ES256 verify against the JWK set; none, HMAC, foreign keys and tampering do not. */
class JwsTest {

    static KeyPair rsa;
    static KeyPair ec;
    static KeyPair smallRsa;
    static Map<String, Object> jwks;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
        r.initialize(2048);
        rsa = r.generateKeyPair();
        KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
        small.initialize(1024);
        smallRsa = small.generateKeyPair();
        KeyPairGenerator e = KeyPairGenerator.getInstance("EC");
        e.initialize(new ECGenParameterSpec("secp256r1"));
        ec = e.generateKeyPair();
        jwks = Map.of("keys", List.of(rsaJwk("rsa-1", rsa), rsaJwk("rsa-small", smallRsa), ecJwk("ec-1", ec)));
    }

    static Map<String, Object> rsaJwk(String kid, KeyPair k) {
        RSAPublicKey p = (RSAPublicKey) k.getPublic();
        return Map.of("kty", "RSA", "kid", kid, "n", b64(unsigned(p.getModulus())), "e", b64(unsigned(p.getPublicExponent())));
    }

    static Map<String, Object> ecJwk(String kid, KeyPair k) {
        ECPublicKey p = (ECPublicKey) k.getPublic();
        return Map.of("kty", "EC", "crv", "P-256", "kid", kid, "x", b64(pad(unsigned(p.getW().getAffineX()))),
                "y", b64(pad(unsigned(p.getW().getAffineY()))));
    }

    static String token(String alg, String kid, PrivateKey key, String jdkAlgorithm) throws Exception {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", alg);
        if (kid != null) {
            header.put("kid", kid);
        }
        String signed = b64(Jcs.canonicalize(header)) + "." + b64(Jcs.canonicalize(Map.of("sub", "alice", "n", 1)));
        Signature s = Signature.getInstance(jdkAlgorithm);
        s.initSign(key);
        s.update(signed.getBytes(StandardCharsets.US_ASCII));
        return signed + "." + b64(s.sign());
    }

    @Test
    void rs256AndEs256VerifyWithTheKeyTheKidNames() throws Exception {
        assertEquals("alice", Jws.verify(token("RS256", "rsa-1", rsa.getPrivate(), "SHA256withRSA"), jwks).get("sub"));
        assertEquals("alice", Jws.verify(token("ES256", "ec-1", ec.getPrivate(), "SHA256withECDSAinP1363Format"), jwks)
                .get("sub"));
        assertEquals("alice", Jws.verify(token("RS256", null, rsa.getPrivate(), "SHA256withRSA"), jwks).get("sub"),
                "without a kid, any key of the set that verifies");
    }

    @Test
    void noneHmacForeignKeysWeakKeysAndTamperingAreRefused() throws Exception {
        String good = token("RS256", "rsa-1", rsa.getPrivate(), "SHA256withRSA");
        String[] parts = good.split("\\.");
        // alg none, with and without a signature
        String none = b64("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
        assertThrows(Jws.Invalid.class, () -> Jws.verify(none, jwks));
        // HS256 keyed with the public RSA key's bytes (the key-confusion attack)
        String hsHead = b64("{\"alg\":\"HS256\",\"kid\":\"rsa-1\"}".getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(rsa.getPublic().getEncoded(), "HmacSHA256"));
        String hs = hsHead + "." + parts[1] + "." + b64(mac.doFinal((hsHead + "." + parts[1])
                .getBytes(StandardCharsets.US_ASCII)));
        assertThrows(Jws.Invalid.class, () -> Jws.verify(hs, jwks));
        // a key the set does not hold, under a kid the set does hold
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        assertThrows(Jws.Invalid.class, () -> Jws.verify(token("RS256", "rsa-1", g.generateKeyPair().getPrivate(),
                "SHA256withRSA"), jwks));
        // the right key under another key's kid
        assertThrows(Jws.Invalid.class, () -> Jws.verify(token("RS256", "ec-1", rsa.getPrivate(), "SHA256withRSA"),
                jwks));
        // a 1024-bit RSA key
        assertThrows(Jws.Invalid.class, () -> Jws.verify(token("RS256", "rsa-small", smallRsa.getPrivate(),
                "SHA256withRSA"), jwks));
        // the payload changed after signing
        String tampered = parts[0] + "." + b64(Jcs.canonicalize(Map.of("sub", "mallory", "n", 1))) + "." + parts[2];
        assertThrows(Jws.Invalid.class, () -> Jws.verify(tampered, jwks));
        // malformed
        for (String bad : new String[]{null, "", "a.b", parts[0] + "." + parts[1], "a.b.c.d", "!!.!!.!!",
                parts[0] + "=." + parts[1] + "." + parts[2], b64("[]".getBytes()) + "." + parts[1] + "." + parts[2],
                "x".repeat(70_000)}) {
            assertThrows(Jws.Invalid.class, () -> Jws.verify(bad, jwks), String.valueOf(bad).substring(0,
                    Math.min(20, String.valueOf(bad).length())));
        }
        // critical headers are not understood
        String crit = b64("{\"alg\":\"RS256\",\"crit\":[\"exp\"],\"exp\":1}".getBytes(StandardCharsets.UTF_8));
        assertThrows(Jws.Invalid.class, () -> Jws.verify(crit + "." + parts[1] + "." + parts[2], jwks));
        // an empty or malformed key set
        assertThrows(Jws.Invalid.class, () -> Jws.verify(good, Map.of()));
        assertThrows(Jws.Invalid.class, () -> Jws.verify(good, Map.of("keys", List.of("x", Map.of("kty", "RSA",
                "kid", "rsa-1", "n", "!!", "e", "AQAB")))));
    }

    private static byte[] unsigned(BigInteger i) {
        byte[] b = i.toByteArray();
        return b[0] == 0 && b.length > 1 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }

    private static byte[] pad(byte[] b) {
        byte[] out = new byte[32];
        System.arraycopy(b, 0, out, 32 - b.length, b.length);
        return out;
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
