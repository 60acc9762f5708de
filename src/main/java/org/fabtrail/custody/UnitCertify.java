package org.fabtrail.custody;

import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.LedgerException;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Set;

/**
 * {@code unit.certify}: the manufacturer adds the device certificate to a unit registered without one (its identity
 * was provisioned later, or by a BMC after assembly). Fields: {@code unit}, {@code deviceCertificate}, optional
 * {@code deviceCertificateChain}; the certificate rules are those of {@code unit.register} ({@link DeviceCertification}).
 * Once only: a unit's certificate is never replaced.
 */
final class UnitCertify implements EntryType {

    static final String TYPE = "unit.certify";
    private static final Set<String> REQUIRED = Set.of("unit", DeviceCertification.CERTIFICATE);
    private static final Set<String> OPTIONAL = Set.of(DeviceCertification.CHAIN);

    private final DeviceIdentity identity;

    UnitCertify(DeviceIdentity identity) {
        this.identity = identity;
    }

    @Override
    public String name() {
        return TYPE;
    }

    private record Fields(UnitKey unit, DeviceCertification.Certificate certificate) {
    }

    private Fields fields(Envelope e) {
        Payload p = Payload.of(e, REQUIRED, OPTIONAL);
        return new Fields(p.unit("unit"), DeviceCertification.fields(p, identity));
    }

    @Override
    public void check(Envelope e) {
        fields(e);
    }

    @Override
    public void prefetch(Envelope e, CustodyPolicy.Wants wants) {
        Payload p = Payload.of(e, REQUIRED, OPTIONAL);
        UnitKey unit = p.unit("unit");
        wants.unit(unit);
        wants.deviceCas(unit.manufacturer());
        String keyId = DeviceCertification.keyId(p, identity);
        if (keyId != null) {
            wants.deviceKey(keyId);
        }
    }

    @Override
    public void apply(Envelope e, long index, Instant at, BatchContext ctx) throws SQLException {
        Fields f = fields(e);
        CustodyPolicy.requireRole(ctx, e.actor(), Roles.MANUFACTURER);
        if (!f.unit().manufacturer().equals(e.actor())) {
            throw Rules.refuse(LedgerException.Kind.RULE, "not-manufacturer", "Not the manufacturer",
                    f.unit() + " was made by \"" + f.unit().manufacturer() + "\"; only its manufacturer certifies it",
                    f.unit());
        }
        CustodyState s = Rules.state(ctx);
        CustodyState.Unit u = Rules.existing(s, f.unit());
        Rules.notRetired(u);
        if (u.deviceCertificate != null) {
            throw Rules.refuse(LedgerException.Kind.CONFLICT, "unit-certified", "Unit already certified",
                    u.key + " already has a device certificate; it is never replaced", u.key);
        }
        DeviceIdentity.DeviceCertificate device = DeviceCertification.check(ctx, identity, u.key, f.certificate(), at);
        Facts.activity(ctx, index, at, TYPE, e.actor(), java.util.List.of(u));
        u.deviceCertificate = f.certificate().der();
        s.changed(u, index, at);
        DeviceCertification.bind(ctx, device, u.key, index);
    }
}
