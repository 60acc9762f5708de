package org.fabtrail.attestation;

import org.fabtrail.custody.AbstractEntryType;

import java.util.Set;

/**
 * An entry type whose rules check the identity documents of a unit ({@code unit.certify}, {@code unit.inspect}): a
 * device certificate with the ledger's {@link DeviceIdentity}, a CRL past its {@code nextUpdate} judged by the
 * {@link StaleCrlPolicy}, and a platform certificate with its {@link PlatformCertificates}.
 *
 * @param <P> the payload record
 */
abstract class CertificateCheckingType<P> extends AbstractEntryType<P> {

    protected final DeviceIdentity identity;
    protected final PlatformCertificates platforms;
    protected final StaleCrlPolicy staleCrls;

    CertificateCheckingType(String name, Class<P> payloadType, Set<String> required, Set<String> optional,
                            DeviceIdentity identity, PlatformCertificates platforms, StaleCrlPolicy staleCrls) {
        super(name, payloadType, required, optional);
        this.identity = identity;
        this.platforms = platforms;
        this.staleCrls = staleCrls;
    }
}
