package org.fabtrail.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Verifying a compact JWS (RFC 7515), such as an OpenID Connect ID token, against a JWK set (RFC 7517): RS256,
 * RS384, RS512 and ES256, ES384 only ({@code none}, HMAC and anything else are refused, whatever the header says).
 * The key is the set's key with the header's {@code kid} (or, without a {@code kid}, any key of the algorithm's type
 * that verifies). Answers the payload as a JSON object; checking its claims is the caller's business.
 */
public final class Jws {

    /** The token is not a well-formed JWS signed by a key of the set; the message says why, for logs. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private static final Map<String, String[]> ALGORITHMS = Map.of(
            "RS256", new String[]{"RSA", "SHA256withRSA", null},
            "RS384", new String[]{"RSA", "SHA384withRSA", null},
            "RS512", new String[]{"RSA", "SHA512withRSA", null},
            "ES256", new String[]{"EC", "SHA256withECDSAinP1363Format", "P-256"},
            "ES384", new String[]{"EC", "SHA384withECDSAinP1363Format", "P-384"});
    private static final int MAX_TOKEN = 64 * 1024;

    private Jws() {
    }

    /**
     * @param compact the token, three base64url parts
     * @param jwks    the parsed JWK set ({@code {"keys": [...]}}, as {@link StrictJson} reads it)
     * @return the payload object
     * @throws Invalid when it is malformed, of another algorithm, or no key of the set verifies it
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> verify(String compact, Object jwks) {
        if (compact == null || compact.length() > MAX_TOKEN) {
            throw new Invalid("no token, or one over 64 KiB");
        }
        String[] parts = compact.split("\\.", -1);
        if (parts.length != 3) {
            throw new Invalid("not a compact JWS (three parts)");
        }
        Map<String, Object> header = object(decode(parts[0]), "header");
        Object alg = header.get("alg");
        String[] how = alg instanceof String a ? ALGORITHMS.get(a) : null;
        if (how == null) {
            throw new Invalid("algorithm " + alg + " is not accepted");
        }
        if (header.containsKey("crit")) {
            throw new Invalid("critical header parameters are not understood");
        }
        Object kid = header.get("kid");
        byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = decode(parts[2]);
        if (!(jwks instanceof Map<?, ?> set) || !(set.get("keys") instanceof List<?> keys)) {
            throw new Invalid("the key set has no keys");
        }
        for (Object k : keys) {
            if (!(k instanceof Map<?, ?> jwk) || !how[0].equals(jwk.get("kty"))
                    || (kid != null && !kid.equals(jwk.get("kid")))
                    || (jwk.get("use") != null && !"sig".equals(jwk.get("use")))
                    || (jwk.get("alg") != null && !alg.equals(jwk.get("alg")))) {
                continue;
            }
            PublicKey key = publicKey((Map<String, Object>) jwk, how);
            if (key != null && verifies(how[1], key, signed, signature)) {
                return object(decode(parts[1]), "payload");
            }
        }
        throw new Invalid("no key of the set (kid " + kid + ") verifies the signature");
    }

    private static boolean verifies(String algorithm, PublicKey key, byte[] signed, byte[] signature) {
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initVerify(key);
            s.update(signed);
            return s.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The JWK's public key, or null when it is not a usable key of the kind. */
    private static PublicKey publicKey(Map<String, Object> jwk, String[] how) {
        try {
            if (how[0].equals("RSA")) {
                BigInteger n = new BigInteger(1, decode(jwk.get("n")));
                BigInteger e = new BigInteger(1, decode(jwk.get("e")));
                if (n.bitLength() < 2048) {
                    return null;
                }
                return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
            }
            if (!how[2].equals(jwk.get("crv"))) {
                return null;
            }
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(new ECGenParameterSpec(how[2].equals("P-256") ? "secp256r1" : "secp384r1"));
            ECParameterSpec spec = p.getParameterSpec(ECParameterSpec.class);
            ECPoint w = new ECPoint(new BigInteger(1, decode(jwk.get("x"))), new BigInteger(1, decode(jwk.get("y"))));
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, spec));
        } catch (GeneralSecurityException | Invalid e) {
            return null;
        }
    }

    private static byte[] decode(Object part) {
        if (!(part instanceof String s) || s.contains("=")) {
            throw new Invalid("not base64url");
        }
        try {
            return Base64.getUrlDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new Invalid("not base64url");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(byte[] json, String what) {
        try {
            if (StrictJson.parse(json) instanceof Map<?, ?> m) {
                return (Map<String, Object>) m;
            }
        } catch (JsonFormatException e) {
            // answered below
        }
        throw new Invalid("the " + what + " is not a JSON object");
    }
}
