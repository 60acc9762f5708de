package org.fabtrail.custody;

import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.LedgerException;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code unit.register}: a manufacturer registers a serialized unit at one of its sites. Fields: {@code serial},
 * {@code kind} (accelerator, server, board, module), {@code model}, optional {@code eccn} (e.g. 3A090.a),
 * {@code site}, optional {@code deviceCertificate} (PEM X.509, kept for attestation) with optional
 * {@code deviceCertificateChain} (the intermediates to a registered CA; see {@link DeviceCertification}). The unit is
 * {@code actor/serial}; a serial is unique per manufacturer.
 */
final class UnitRegister implements EntryType {

    static final String TYPE = "unit.register";
    static final List<String> KINDS = List.of("accelerator", "server", "board", "module");
    /** Export Control Classification Numbers: e.g. 3A090.a, 4A090.a, 5A002, EAR99. */
    private static final Pattern ECCN = Pattern.compile("EAR99|[0-9][A-E][0-9]{3}(\\.[a-z0-9]+)*");
    private static final Set<String> REQUIRED = Set.of("serial", "kind", "model", "site");
    private static final Set<String> OPTIONAL = Set.of("eccn", DeviceCertification.CERTIFICATE,
            DeviceCertification.CHAIN);

    private final DeviceIdentity identity;

    UnitRegister(DeviceIdentity identity) {
        this.identity = identity;
    }

    @Override
    public String name() {
        return TYPE;
    }

    record Fields(UnitKey key, String kind, String model, String eccn, String site,
                  DeviceCertification.Certificate certificate) {
    }

    Fields fields(Envelope e) {
        Payload p = Payload.of(e, REQUIRED, OPTIONAL);
        String serial = p.string("serial", 64);
        if (!UnitKey.SERIAL.matcher(serial).matches()) {
            throw Payload.invalid("invalid-serial", "serial", "payload.serial must match [A-Za-z0-9._-]{1,64} exactly; "
                    + "serials are case-sensitive and never normalised");
        }
        String eccn = p.optionalString("eccn", 20);
        if (eccn != null && !ECCN.matcher(eccn).matches()) {
            throw Payload.invalid("invalid-eccn", "eccn", "payload.eccn must be an ECCN such as 3A090.a or EAR99, not \""
                    + eccn + "\"");
        }
        DeviceCertification.Certificate cert = DeviceCertification.fields(p, identity);
        return new Fields(new UnitKey(e.actor(), serial), p.oneOf("kind", KINDS), p.string("model", 100), eccn,
                p.slug("site"), cert);
    }

    @Override
    public void check(Envelope e) {
        fields(e);
    }

    @Override
    public void prefetch(Envelope e, CustodyPolicy.Wants wants) {
        if (e.payload().get("serial") instanceof String s) {
            wants.unit(new UnitKey(e.actor(), s));
        }
        if (e.payload().get("site") instanceof String site) {
            wants.site(e.actor(), site);
        }
        if (e.payload().containsKey(DeviceCertification.CERTIFICATE)) {
            wants.deviceCas(e.actor());
            String keyId = DeviceCertification.keyId(Payload.of(e, REQUIRED, OPTIONAL), identity);
            if (keyId != null) {
                wants.deviceKey(keyId);
            }
        }
    }

    @Override
    public void apply(Envelope e, long index, Instant at, BatchContext ctx) throws SQLException {
        Fields f = fields(e);
        CustodyPolicy.requireRole(ctx, e.actor(), Roles.MANUFACTURER);
        CustodyState s = Rules.state(ctx);
        Rules.ownSite(s, e.actor(), f.site(), "site");
        if (s.unit(f.key()).isPresent()) {
            throw Rules.refuse(LedgerException.Kind.CONFLICT, "unit-exists", "Unit exists",
                    f.key() + " is already registered; a serial is unique per manufacturer", f.key());
        }
        DeviceIdentity.DeviceCertificate device = f.certificate() == null ? null
                : DeviceCertification.check(ctx, identity, f.key(), f.certificate(), at);
        CustodyState.Unit u = new CustodyState.Unit(f.key());
        u.kind = f.kind();
        u.model = f.model();
        u.eccn = f.eccn();
        u.status = CustodyState.ACTIVE;
        u.custodian = e.actor();
        u.site = f.site();
        u.deviceCertificate = f.certificate() == null ? null : f.certificate().der();
        u.registeredIdx = index;
        u.registeredAt = at;
        s.putUnit(u);
        s.changed(u, index, at);
        if (device != null) {
            DeviceCertification.bind(ctx, device, f.key(), index);
        }
        // the manufacturer sees its units by being their manufacturer: no unit_parties row needed
    }
}
