package org.fabtrail.attestation;

import org.fabtrail.custody.CustodyState;
import org.fabtrail.custody.Facts;
import org.fabtrail.custody.Payload;
import org.fabtrail.custody.PayloadSchema;
import org.fabtrail.custody.Roles;
import org.fabtrail.custody.Rules;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.custody.Wants;
import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.LedgerException;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Set;

/**
 * {@code unit.certify}: the manufacturer adds identity documents to a registered unit. Fields: {@code unit}, and at
 * least one of {@code deviceCertificate} (with optional {@code deviceCertificateChain}) and
 * {@code platformCertificate}.
 *
 * <p>The device certificate (its identity was provisioned later, or by a BMC after assembly) follows the rules of
 * {@code unit.register} ({@link DeviceCertification}) and is added once only: a unit's device certificate is never
 * replaced. The platform certificate (a TCG Platform Certificate listing the components) follows
 * {@link PlatformCertification}; the unit must be a server or have components assembled in it; a later one replaces
 * the current one. Both are checked before anything is written: a refusal of either writes nothing.
 */
final class UnitCertify extends CertificateCheckingType<UnitCertify.Fields> {

    static final String TYPE = "unit.certify";
    private static final Set<String> REQUIRED = Set.of("unit");
    private static final Set<String> OPTIONAL = Set.of(DeviceCertification.CERTIFICATE, DeviceCertification.CHAIN,
            PlatformCertification.FIELD);

    UnitCertify(DeviceIdentity identity, PlatformCertificates platforms, StaleCrlPolicy staleCrls) {
        super(TYPE, UnitCertify.Fields.class, REQUIRED, OPTIONAL, identity, platforms, staleCrls);
    }

    /** The payload record: at least one of {@code certificate} and {@code platform} is not null. */
    record Fields(UnitKey unit, DeviceCertification.Certificate certificate, PlatformCertification.Field platform) {
    }

    @Override
    public PayloadSchema schema() {
        return fields().field("unit", PayloadSchema.unit());
    }

    @Override
    protected Fields read(Envelope e, Payload p) {
        UnitKey unit = p.unit("unit");
        DeviceCertification.Certificate device = DeviceCertification.fields(p, identity);
        PlatformCertification.Field platform = PlatformCertification.field(p, platforms);
        if (device == null && platform == null) {
            throw Payload.invalid("missing-field", DeviceCertification.CERTIFICATE, "payload."
                    + DeviceCertification.CERTIFICATE + " or payload." + PlatformCertification.FIELD
                    + " (or both) is required for " + TYPE);
        }
        return new Fields(unit, device, platform);
    }

    @Override
    public void prefetch(Envelope e, Fields f, Wants wants) {
        wants.unit(f.unit());
        AttestationState state = AttestationState.of(wants.context());
        state.wantCas(f.unit().manufacturer());
        if (f.certificate() != null && f.certificate().device() != null) {
            state.wantDeviceKey(f.certificate().device().keyId());
        }
    }

    @Override
    public void apply(Envelope e, Fields f, long index, Instant at, BatchContext ctx) throws SQLException {
        Rules.requireRole(ctx, e.actor(), Roles.MANUFACTURER);
        if (!f.unit().manufacturer().equals(e.actor())) {
            throw Rules.refuse(LedgerException.Kind.RULE, "not-manufacturer", "Not the manufacturer",
                    f.unit() + " was made by \"" + f.unit().manufacturer() + "\"; only its manufacturer certifies it",
                    f.unit());
        }
        CustodyState s = CustodyState.of(ctx);
        CustodyState.Unit u = Rules.existing(s, f.unit());
        Rules.notRetired(u);
        DeviceCertification.Checked device = null;
        if (f.certificate() != null) {
            if (u.deviceCertificate() != null) {
                throw Rules.refuse(LedgerException.Kind.CONFLICT, "unit-certified", "Unit already certified",
                        u.key() + " already has a device certificate; it is never replaced", u.key());
            }
            device = DeviceCertification.check(ctx, identity, staleCrls, u.key(), f.certificate(), at);
        }
        PlatformComparison platform = null;
        if (f.platform() != null) {
            if (!PlatformCertification.isPlatform(u)) {
                throw Rules.refuse(LedgerException.Kind.RULE, PlatformReasons.NOT_A_PLATFORM, "Not a platform",
                        u.key() + " is a unit of kind \"" + u.kind() + "\" with nothing assembled in it; a platform "
                                + "certificate describes a server or another unit with components", u.key());
            }
            try {
                platform = PlatformCertification.check(ctx, platforms, u, f.platform(), index, at);
            } catch (PlatformCertificates.Refused r) {
                throw PlatformCertification.refuse(r, u.key());
            }
        }
        // every check passed: write
        Facts.activity(ctx, index, at, TYPE, e.actor(), java.util.List.of(u));
        if (device != null) {
            s.deviceCertificate(u, f.certificate().der());
            DeviceCertification.bind(ctx, device.device(), u.key(), index);
            DeviceCertification.flagStaleCrls(ctx, device, index, at, TYPE, e.actor(), u.key());
        }
        if (platform != null) {
            Facts.of(ctx).add(new PlatformFact(index, at, TYPE, e.actor(), u.key(), "pass", platform));
            AttestationState.of(ctx).platformCertified(new AttestationState.PlatformRow(u.key(), index, at,
                    f.platform().der(), platform.certificate().sha256Fingerprint(), platform.caId(),
                    platform.counts()));
        }
        s.changed(u, index, at);
    }
}
