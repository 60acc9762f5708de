package org.fabtrail.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.bouncycastle.util.BigIntegers;

/**
 * A private signing key: Ed25519 (RFC 8032) or ECDSA P-256 with SHA-256 ({@link SignatureAlgorithm#ES256}).
 *
 * <p>Signatures are deterministic: Ed25519 by definition, ES256 with RFC 6979 nonces. ES256
 * signatures are strict DER and normalised to low-S, which every verifier accepts.
 *
 * <p>Keys are read from and written to unencrypted PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}),
 * the format {@code openssl genpkey} writes; {@link #toPkcs8Pem()} writes the same bytes OpenSSL
 * writes for the same key. Instances are immutable and thread-safe. {@link #toString()} never
 * reveals key material; only {@link #toPkcs8Pem()} and {@link #ed25519Seed()} do, on purpose.
 */
public final class SigningKey implements Signer {

    private static final int ED25519_SEED_SIZE = 32;

    private final SignatureAlgorithm algorithm;
    private final VerificationKey verificationKey;
    /** Ed25519 only: the 32-byte seed and the encoded public key. */
    private final byte[] seed;
    private final byte[] ed25519Public;
    /** ES256 only. */
    private final ECPrivateKeyParameters ecKey;

    private SigningKey(byte[] seed) {
        this.algorithm = SignatureAlgorithm.ED25519;
        this.seed = seed;
        this.ed25519Public = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(seed, 0, ed25519Public, 0);
        this.verificationKey = VerificationKey.ed25519(ed25519Public);
        this.ecKey = null;
    }

    private SigningKey(BigInteger d) {
        this.algorithm = SignatureAlgorithm.ES256;
        this.seed = null;
        this.ed25519Public = null;
        this.ecKey = new ECPrivateKeyParameters(d, P256.CURVE);
        ECPoint q = new FixedPointCombMultiplier().multiply(P256.CURVE.getG(), d).normalize();
        this.verificationKey = VerificationKey.fromP256Point(q);
    }

    /**
     * Generates a new key with a {@link SecureRandom}.
     *
     * @param algorithm the algorithm
     * @return a fresh key
     */
    public static SigningKey generate(SignatureAlgorithm algorithm) {
        Objects.requireNonNull(algorithm, "algorithm");
        SecureRandom random = new SecureRandom();
        if (algorithm == SignatureAlgorithm.ED25519) {
            byte[] seed = new byte[ED25519_SEED_SIZE];
            random.nextBytes(seed);
            return new SigningKey(seed);
        }
        BigInteger n = P256.CURVE.getN();
        return new SigningKey(BigIntegers.createRandomInRange(BigInteger.ONE, n.subtract(BigInteger.ONE), random));
    }

    /**
     * Makes an Ed25519 key from its 32-byte seed (the RFC 8032 "secret key").
     *
     * @param seed32 the seed; copied
     * @return the key
     * @throws KeyFormatException if the seed is not 32 bytes
     */
    public static SigningKey ed25519FromSeed(byte[] seed32) {
        if (seed32 == null || seed32.length != ED25519_SEED_SIZE) {
            throw new KeyFormatException("an Ed25519 seed is 32 bytes, got "
                    + (seed32 == null ? "null" : seed32.length + " bytes"));
        }
        return new SigningKey(seed32.clone());
    }

    /**
     * Reads an unencrypted PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}) holding an
     * Ed25519 or P-256 key, as written by {@code openssl genpkey -algorithm ed25519} or
     * {@code openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256}. An embedded public key
     * (PKCS#8 v2, or the SEC1 {@code publicKey} field) must match the private key.
     *
     * @param pem exactly one PEM block
     * @return the key
     * @throws KeyFormatException for anything else (SEC1 {@code EC PRIVATE KEY}, encrypted keys, RSA,
     *                            other curves, public keys, malformed DER), with a message that says which
     */
    public static SigningKey fromPkcs8Pem(String pem) {
        Pem.Block block = Pem.parseKey(pem, "private key");
        switch (block.label()) {
            case "PRIVATE KEY":
                return fromPkcs8Der(block.der());
            case "EC PRIVATE KEY":
                throw new KeyFormatException("SEC1 \"EC PRIVATE KEY\" is not accepted; convert it to PKCS#8 with: "
                        + "openssl pkcs8 -topk8 -nocrypt");
            case "ENCRYPTED PRIVATE KEY":
                throw new KeyFormatException("encrypted private keys are not supported; decrypt with: "
                        + "openssl pkcs8 -topk8 -nocrypt");
            case "RSA PRIVATE KEY":
                throw new KeyFormatException("RSA keys are not supported; use Ed25519 or ECDSA P-256");
            case "PUBLIC KEY":
                throw new KeyFormatException("expected a private key but got a public key");
            default:
                throw new KeyFormatException("expected a PEM \"PRIVATE KEY\" block but found \"" + block.label() + "\"");
        }
    }

    private static SigningKey fromPkcs8Der(byte[] der) {
        PrivateKeyInfo info;
        try {
            ASN1Primitive primitive = ASN1Primitive.fromByteArray(der);
            if (primitive == null || !Arrays.equals(primitive.getEncoded(ASN1Encoding.DER), der)) {
                throw new KeyFormatException("PKCS#8 private key is not strict DER");
            }
            info = PrivateKeyInfo.getInstance(primitive);
        } catch (IOException | RuntimeException e) {
            if (e instanceof KeyFormatException) {
                throw (KeyFormatException) e;
            }
            throw new KeyFormatException("not a DER PKCS#8 private key");
        }
        AlgorithmIdentifier algId = info.getPrivateKeyAlgorithm();
        ASN1ObjectIdentifier oid = algId.getAlgorithm();
        try {
            if (oid.equals(VerificationKey.ID_ED25519)) {
                return ed25519(info, algId);
            }
            if (oid.equals(VerificationKey.ID_EC_PUBLIC_KEY)) {
                return p256(info, algId);
            }
        } catch (IOException | RuntimeException e) {
            // Bouncy Castle's ASN.1 accessors throw IllegalArgumentException or IllegalStateException (an implicitly
            // tagged publicKey in an ECPrivateKey) on structures they cannot read: all are malformed keys.
            if (e instanceof KeyFormatException) {
                throw (KeyFormatException) e;
            }
            throw new KeyFormatException("malformed private key inside PKCS#8");
        }
        throw new KeyFormatException("unsupported key algorithm " + VerificationKey.algorithmName(oid)
                + "; only Ed25519 and ECDSA P-256 are accepted");
    }

    /** An Ed25519 key (RFC 8410): a 32-byte seed, no parameters, and any public key it carries must be its own. */
    private static SigningKey ed25519(PrivateKeyInfo info, AlgorithmIdentifier algId) throws IOException {
        if (algId.getParameters() != null) {
            throw new KeyFormatException("Ed25519 AlgorithmIdentifier must not have parameters (RFC 8410)");
        }
        byte[] seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
        if (seed.length != ED25519_SEED_SIZE) {
            throw new KeyFormatException("Ed25519 private key must be a 32-byte seed");
        }
        SigningKey key = new SigningKey(seed);
        if (info.hasPublicKey()
                && !Arrays.equals(info.getPublicKeyData().getOctets(), key.ed25519Public)) {
            throw new KeyFormatException("the public key in the PKCS#8 structure does not match the private key");
        }
        return key;
    }

    /** A P-256 key (RFC 5915 inside PKCS#8): the named curve, a scalar in range, and its own public key if any. */
    private static SigningKey p256(PrivateKeyInfo info, AlgorithmIdentifier algId) throws IOException {
        ASN1Encodable params = algId.getParameters();
        if (!VerificationKey.PRIME256V1.equals(params)) {
            throw new KeyFormatException(params instanceof ASN1ObjectIdentifier
                    ? "unsupported EC curve " + VerificationKey.curveName((ASN1ObjectIdentifier) params)
                            + "; only P-256 (prime256v1) is accepted"
                    : "EC private keys must name their curve (explicit curve parameters are not accepted)");
        }
        ECPrivateKey ec = ECPrivateKey.getInstance(info.parsePrivateKey());
        if (ec.getParametersObject() != null && !VerificationKey.PRIME256V1.equals(ec.getParametersObject())) {
            throw new KeyFormatException("ECPrivateKey parameters contradict the PKCS#8 curve");
        }
        BigInteger d = ec.getKey();
        if (d.signum() <= 0 || d.compareTo(P256.CURVE.getN()) >= 0) {
            throw new KeyFormatException("P-256 private scalar is out of range");
        }
        SigningKey key = new SigningKey(d);
        if (ec.getPublicKey() != null) {
            ECPoint embedded;
            try {
                embedded = P256.CURVE.getCurve().decodePoint(ec.getPublicKey().getOctets());
            } catch (RuntimeException e) {
                throw new KeyFormatException("the embedded P-256 public key is not a valid point");
            }
            if (!Arrays.equals(embedded.normalize().getEncoded(false), key.verificationKey.rawPublicKey())) {
                throw new KeyFormatException(
                        "the public key in the PKCS#8 structure does not match the private key");
            }
        }
        return key;
    }

    /**
     * Writes the key as unencrypted PKCS#8 PEM, the same bytes {@code openssl genpkey} writes:
     * for Ed25519 the RFC 8410 v1 structure with the seed only; for P-256 an ECPrivateKey with
     * the public key and without repeated curve parameters.
     *
     * @return the PEM text; it contains the private key
     */
    public String toPkcs8Pem() {
        try {
            PrivateKeyInfo info;
            if (algorithm == SignatureAlgorithm.ED25519) {
                info = new PrivateKeyInfo(new AlgorithmIdentifier(VerificationKey.ID_ED25519), new DEROctetString(seed));
            } else {
                byte[] pub = verificationKey.rawPublicKey();
                info = new PrivateKeyInfo(
                        new AlgorithmIdentifier(VerificationKey.ID_EC_PUBLIC_KEY, VerificationKey.PRIME256V1),
                        new ECPrivateKey(256, ecKey.getD(), new DERBitString(pub), null));
            }
            return Pem.encode("PRIVATE KEY", info.getEncoded(ASN1Encoding.DER));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode PKCS#8", e);
        }
    }

    /** @return the algorithm of this key */
    public SignatureAlgorithm algorithm() {
        return algorithm;
    }

    /**
     * @return a copy of the 32-byte Ed25519 seed
     * @throws IllegalStateException if this is not an Ed25519 key
     */
    public byte[] ed25519Seed() {
        if (algorithm != SignatureAlgorithm.ED25519) {
            throw new IllegalStateException("not an Ed25519 key: " + algorithm.wireName());
        }
        return seed.clone();
    }

    @Override
    public VerificationKey verificationKey() {
        return verificationKey;
    }

    /**
     * Signs a message: 64 raw bytes for Ed25519; a strict DER, low-S, RFC 6979 deterministic
     * signature over SHA-256(message) for ES256.
     */
    @Override
    public byte[] sign(byte[] message) {
        Objects.requireNonNull(message, "message");
        if (algorithm == SignatureAlgorithm.ED25519) {
            byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
            Ed25519.sign(seed, 0, ed25519Public, 0, message, 0, message.length, sig, 0);
            return sig;
        }
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, ecKey);
        BigInteger[] rs = signer.generateSignature(VerificationKey.sha256(message));
        BigInteger n = P256.CURVE.getN();
        BigInteger s = rs[1];
        if (s.compareTo(n.shiftRight(1)) > 0) {
            s = n.subtract(s);
        }
        return VerificationKey.encodeDerSignature(rs[0], s);
    }

    /** @return {@code SigningKey[<alg>, keyId=<hex>]}; never key material */
    @Override
    public String toString() {
        return "SigningKey[" + algorithm.wireName() + ", keyId=" + verificationKey.keyId() + "]";
    }
}
