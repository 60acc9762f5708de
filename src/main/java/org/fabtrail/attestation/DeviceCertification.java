package org.fabtrail.attestation;

import org.fabtrail.crypto.Pem;
import org.fabtrail.custody.DeviceEnrolment;
import org.fabtrail.custody.Facts;
import org.fabtrail.custody.Payload;
import org.fabtrail.custody.Rules;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.custody.Wants;
import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.LedgerException;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A unit's device certificate, as {@code unit.register} and {@code unit.certify} give it: the fields
 * ({@code deviceCertificate}, optional {@code deviceCertificateChain}) and the rules. The certificate must chain to a
 * device CA its manufacturer registered, valid at the entry's integrated time (so a submitter cannot backdate it),
 * name the unit's serial as its subject serialNumber, and hold a key no other unit has. As a {@link DeviceEnrolment}
 * it is the device identity part of {@code unit.register}. A stale CRL on the chain ({@code crl-stale}) refuses it
 * under {@link StaleCrlPolicy#FAIL}; under {@link StaleCrlPolicy#FLAG} it is accepted and flagged
 * ({@link StaleCrlFact}).
 */
final class DeviceCertification implements DeviceEnrolment {

    static final String CERTIFICATE = "deviceCertificate";
    static final String CHAIN = "deviceCertificateChain";
    static final int MAX_PEM = 16384;
    static final int MAX_INTERMEDIATES = Attestations.MAX_CHAIN - 1;
    private static final Set<String> FIELDS = Set.of(CERTIFICATE, CHAIN);

    /**
     * The certificate (DER), the intermediates given to reach a registered CA (not stored: they are in the log), and
     * the device certificate's own facts as read on admission: {@code device}, or the failure reading them gave
     * ({@code unreadable}), which {@link #check} reports in its turn.
     */
    record Certificate(byte[] der, List<byte[]> intermediates, DeviceIdentity.DeviceCertificate device,
                       RuntimeException unreadable) implements DeviceEnrolment.Certificate {
    }

    private final DeviceIdentity identity;
    private final StaleCrlPolicy staleCrls;

    DeviceCertification(DeviceIdentity identity, StaleCrlPolicy staleCrls) {
        this.identity = identity;
        this.staleCrls = staleCrls;
    }

    @Override
    public Set<String> fields() {
        return FIELDS;
    }

    @Override
    public Certificate read(Payload p) {
        return fields(p, identity);
    }

    @Override
    public void prefetch(DeviceEnrolment.Certificate certificate, String manufacturer, Wants wants) {
        AttestationState state = AttestationState.of(wants.context());
        state.wantCas(manufacturer);
        if (certificate instanceof Certificate c && c.device() != null) {
            state.wantDeviceKey(c.device().keyId());
        }
    }

    @Override
    public void enrol(BatchContext ctx, UnitKey unit, DeviceEnrolment.Certificate certificate, long index,
                      Instant at) throws SQLException {
        Checked checked = check(ctx, identity, staleCrls, unit, (Certificate) certificate, at);
        bind(ctx, checked.device(), unit, index);
        flagStaleCrls(ctx, checked, index, at, "unit.register", unit.manufacturer(), unit);
    }

    /** A certificate that passed its checks, and the stale CRLs the policy let through (flagged, not refused). */
    record Checked(DeviceIdentity.DeviceCertificate device, List<DeviceIdentity.StaleCrl> staleCrls) {
    }

    /** Tells the discrepancy detectors about the stale CRLs a check let through (once the entry is accepted). */
    static void flagStaleCrls(BatchContext ctx, Checked checked, long index, Instant at, String type, String actor,
                              UnitKey unit) throws SQLException {
        Facts facts = Facts.of(ctx);
        if (facts.on() && !checked.staleCrls().isEmpty()) {
            for (StaleCrlFact f : AttestationState.of(ctx).staleCrlFacts(checked.staleCrls(), index, at, type, actor,
                    unit)) {
                facts.add(f);
            }
        }
    }

    /** The certificate fields of the payload, or null when it has none. */
    static Certificate fields(Payload p, DeviceIdentity identity) {
        String pem = p.optionalString(CERTIFICATE, MAX_PEM);
        if (pem == null) {
            if (p.has(CHAIN)) {
                throw Payload.invalid("invalid-field", CHAIN, "payload." + CHAIN + " is given only with payload."
                        + CERTIFICATE);
            }
            return null;
        }
        byte[] der = certificate(pem, CERTIFICATE, identity);
        List<byte[]> chain = new ArrayList<>();
        if (p.has(CHAIN)) {
            List<String> pems = p.strings(CHAIN, MAX_INTERMEDIATES);
            for (int i = 0; i < pems.size(); i++) {
                if (pems.get(i).length() > MAX_PEM) {
                    throw Payload.invalid("invalid-certificate", CHAIN + "[" + i + "]", "payload." + CHAIN + "[" + i
                            + "] must be at most " + MAX_PEM + " characters");
                }
                chain.add(certificate(pems.get(i), CHAIN + "[" + i + "]", identity));
            }
        }
        DeviceIdentity.DeviceCertificate device = null;
        RuntimeException unreadable = null;
        try {
            device = identity.parseDevice(der);
        } catch (RuntimeException e) {
            unreadable = e;
        }
        return new Certificate(der, List.copyOf(chain), device, unreadable);
    }

    private static byte[] certificate(String pem, String field, DeviceIdentity identity) {
        byte[] der;
        try {
            der = Pem.decode(pem, "CERTIFICATE");
        } catch (RuntimeException ex) {
            throw Payload.invalid("invalid-certificate", field, "payload." + field + " must be one PEM CERTIFICATE block: "
                    + ex.getMessage());
        }
        if (!identity.isCertificate(der)) {
            throw Payload.invalid("invalid-certificate", field, "payload." + field + " is not an X.509 certificate");
        }
        return der;
    }

    /**
     * Checks the certificate for {@code unit} at {@code at}: its key, its serial, its chain to a registered CA of the
     * manufacturer, and that its key is bound to no other unit.
     */
    static Checked check(BatchContext ctx, DeviceIdentity identity, StaleCrlPolicy staleCrls, UnitKey unit,
                         Certificate c, Instant at) throws SQLException {
        if (c.unreadable() instanceof DeviceIdentity.Refused r) {
            throw refuse(LedgerException.Kind.RULE, r.code(), "Unsupported device certificate", r.getMessage(), unit,
                    List.of());
        } else if (c.unreadable() != null) {
            throw c.unreadable();
        }
        DeviceIdentity.DeviceCertificate device = c.device();
        if (!unit.serial().equals(device.subjectSerial())) {
            throw refuse(LedgerException.Kind.RULE, AttestationReasons.SERIAL_MISMATCH, "Serial mismatch",
                    "The certificate's subject serialNumber is " + (device.subjectSerial() == null ? "missing"
                            : "\"" + device.subjectSerial() + "\"") + ", not the unit's serial \"" + unit.serial() + "\"",
                    unit, List.of());
        }
        AttestationState state = AttestationState.of(ctx);
        DeviceIdentity.ChainCheck chain = identity.chain(c.der(), c.intermediates(), at,
                state.trust(unit.manufacturer()));
        List<String> reasons = new ArrayList<>(chain.reasons());
        // a stale CRL fails the check under the fail policy; under flag (and always on a replay) it passes, flagged
        boolean flagOnly = staleCrls == StaleCrlPolicy.FLAG || Rules.replaying(ctx);
        if (flagOnly) {
            reasons.remove(AttestationReasons.CRL_STALE);
        }
        if (!reasons.isEmpty()) {
            throw refuse(LedgerException.Kind.RULE, reasons.get(0), "Device certificate refused",
                    "The device certificate does not chain to a device CA of \"" + unit.manufacturer() + "\" valid now: "
                            + String.join("; ", reasons.stream().map(AttestationReasons::describe).toList()),
                    unit, reasons);
        }
        if (state.deviceKey(device.keyId()).filter(other -> !other.equals(unit)).isPresent()) {
            throw refuse(LedgerException.Kind.CONFLICT, "device-key-reused", "Device key reused",
                    "The certificate's key " + device.keyId() + " is already the device key of another unit: one "
                            + "device identity cannot belong to two units (a cloned identity)", unit, List.of());
        }
        return new Checked(device, flagOnly ? chain.staleCrls() : List.of());
    }

    /** Binds the device key to the unit from {@code index} on. */
    static void bind(BatchContext ctx, DeviceIdentity.DeviceCertificate device, UnitKey unit, long index) {
        AttestationState.of(ctx).bindKey(device.keyId(), unit, index);
    }

    private static LedgerException refuse(LedgerException.Kind kind, String code, String title, String detail,
                                          UnitKey unit, List<String> reasons) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", "payload." + CERTIFICATE);
        details.put("unit", Rules.unitDetail(unit));
        if (reasons.size() > 1) {
            details.put("reasons", reasons);
        }
        return new LedgerException(kind, code, title, detail, details, null);
    }
}
