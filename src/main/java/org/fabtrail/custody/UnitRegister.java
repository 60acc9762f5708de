package org.fabtrail.custody;

import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.LedgerException;

import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code unit.register}: a manufacturer registers a serialized unit at one of its sites. Fields: {@code serial},
 * {@code kind} (accelerator, server, board, module), {@code model}, optional {@code eccn} (e.g. 3A090.a),
 * {@code site}, and the fields of its {@link DeviceEnrolment} (optional {@code deviceCertificate}, PEM X.509, kept for
 * attestation, with optional {@code deviceCertificateChain}: the intermediates to a registered CA). The unit is
 * {@code actor/serial}; a serial is unique per manufacturer.
 */
final class UnitRegister extends AbstractEntryType<UnitRegister.Fields> {

    static final String TYPE = "unit.register";
    static final List<String> KINDS = List.of("accelerator", "server", "board", "module");
    /** Export Control Classification Numbers: e.g. 3A090.a, 4A090.a, 5A002, EAR99. */
    private static final Pattern ECCN = Pattern.compile("EAR99|[0-9][A-E][0-9]{3}(\\.[a-z0-9]+)*");
    private static final Set<String> REQUIRED = Set.of("serial", "kind", "model", "site");

    private final DeviceEnrolment enrolment;

    UnitRegister(DeviceEnrolment enrolment) {
        super(TYPE, Fields.class, REQUIRED, optional(enrolment));
        this.enrolment = enrolment;
    }

    /** {@code eccn}, and the enrolment's fields (the device certificate). */
    private static Set<String> optional(DeviceEnrolment enrolment) {
        Set<String> fields = new HashSet<>(enrolment.fields());
        fields.add("eccn");
        return fields;
    }

    /** The payload record; {@code eccn} and {@code certificate} may be null. */
    record Fields(UnitKey key, String kind, String model, String eccn, String site,
                  DeviceEnrolment.Certificate certificate) {
    }

    @Override
    public PayloadSchema schema() {
        return fields().field("serial", PayloadSchema.string(64))
                .field("kind", PayloadSchema.oneOf(KINDS)).field("model", PayloadSchema.string(100))
                .field("site", PayloadSchema.slug("the actor's site where the unit is")).field("eccn", PayloadSchema.string(20));
    }

    @Override
    protected Fields read(Envelope e, Payload p) {
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
        DeviceEnrolment.Certificate cert = enrolment.read(p);
        return new Fields(new UnitKey(e.actor(), serial), p.oneOf("kind", KINDS), p.string("model", 100), eccn,
                p.slug("site"), cert);
    }

    @Override
    public void prefetch(Envelope e, Fields f, Wants wants) {
        wants.unit(f.key());
        wants.site(e.actor(), f.site());
        if (f.certificate() != null) {
            enrolment.prefetch(f.certificate(), e.actor(), wants);
        }
    }

    @Override
    public void apply(Envelope e, Fields f, long index, Instant at, BatchContext ctx) throws SQLException {
        Rules.requireRole(ctx, e.actor(), Roles.MANUFACTURER);
        CustodyState s = CustodyState.of(ctx);
        Rules.ownSite(s, e.actor(), f.site(), "site");
        if (s.unit(f.key()).isPresent()) {
            throw Rules.refuse(LedgerException.Kind.CONFLICT, "unit-exists", "Unit exists",
                    f.key() + " is already registered; a serial is unique per manufacturer", f.key());
        }
        if (f.certificate() != null) {
            enrolment.enrol(ctx, f.key(), f.certificate(), index, at); // may refuse: nothing is written yet
        }
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
        if (Facts.of(ctx).on()) {
            Facts.sighting(ctx, index, at, e, Facts.place(s, e.actor(), f.site()), java.util.List.of(u.key));
        }
        // the manufacturer sees its units by being their manufacturer: no unit_parties row needed
    }
}
