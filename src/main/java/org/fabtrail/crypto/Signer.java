package org.fabtrail.crypto;

/**
 * Something that signs messages with one private key. The log operator's checkpoint signer is
 * injected as a {@code Signer}, so only this package touches private keys and Bouncy Castle.
 *
 * <p>Contract: {@link #sign(byte[])} returns a signature in the wire form of
 * {@code verificationKey().algorithm()} (64 raw bytes for Ed25519, DER for ES256) that
 * {@code verificationKey().verify(message, signature)} accepts. Implementations are thread-safe.
 * Ed25519 signatures are deterministic, so the same message always gives the same bytes.
 */
public interface Signer {

    /**
     * Signs a message.
     *
     * @param message the exact bytes to sign (not hashed by the caller)
     * @return the signature in wire form
     */
    byte[] sign(byte[] message);

    /** @return the public half of this signer's key */
    VerificationKey verificationKey();

    /** @return the key id: lowercase hex SHA-256 of the DER SubjectPublicKeyInfo */
    default String keyId() {
        return verificationKey().keyId();
    }
}
