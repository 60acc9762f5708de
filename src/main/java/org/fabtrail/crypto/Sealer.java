package org.fabtrail.crypto;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The instance's sealer of secrets kept at rest (the organisations' UI signing keys, webhook secrets): a
 * {@link SecretBox} under the master key, made when first needed. The composition root makes the one instance and
 * says where the master key comes from and what to throw when there is none.
 */
public final class Sealer implements Supplier<SecretBox> {

    private final Supplier<Optional<byte[]>> masterKey;
    private final Supplier<? extends RuntimeException> missing;
    private volatile SecretBox box;

    /**
     * @param masterKey reads (or makes) the 32-byte master key; empty when the instance has none
     * @param missing   the refusal when there is no master key
     */
    public Sealer(Supplier<Optional<byte[]>> masterKey, Supplier<? extends RuntimeException> missing) {
        this.masterKey = masterKey;
        this.missing = missing;
    }

    /** The sealer; throws the configured refusal when the instance has no master key. */
    @Override
    public SecretBox get() {
        SecretBox b = box;
        if (b == null) {
            synchronized (this) {
                if (box == null) {
                    box = new SecretBox(masterKey.get().orElseThrow(missing));
                }
                b = box;
            }
        }
        return b;
    }
}
