package org.fabtrail.attestation;

import org.fabtrail.crypto.Pem;
import org.fabtrail.custody.CustodyState;
import org.fabtrail.custody.Payload;
import org.fabtrail.custody.Registry;
import org.fabtrail.custody.Rules;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.LedgerException;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A platform certificate as {@code unit.certify} and {@code unit.inspect} carry it (field {@code platformCertificate},
 * one PEM {@code ATTRIBUTE CERTIFICATE} block), and its rules: it parses as a base TCG Platform Certificate; it is
 * signed by one of the unit manufacturer's active registered device CAs; it and that CA are valid at the entry's
 * integrated time; its platform serial is the unit's serial. Then its components are compared with the units
 * assembled in the platform ({@link PlatformMatching}).
 */
final class PlatformCertification {

    static final String FIELD = "platformCertificate";
    static final int MAX_PEM = 32768;
    static final String PEM_LABEL = "ATTRIBUTE CERTIFICATE";

    private PlatformCertification() {
    }

    /** The field as read on admission: the certificate's DER and what it says. */
    record Field(byte[] der, PlatformCertificates.Certificate certificate) {
    }

    /** The certificate, or null when the payload has none. Refuses what is not one PEM block that parses. */
    static Field field(Payload p, PlatformCertificates platforms) {
        String pem = p.optionalString(FIELD, MAX_PEM);
        if (pem == null) {
            return null;
        }
        byte[] der;
        try {
            der = Pem.decode(pem, PEM_LABEL);
        } catch (RuntimeException ex) {
            throw Payload.invalid(PlatformReasons.INVALID, FIELD, "payload." + FIELD + " must be one PEM "
                    + PEM_LABEL + " block: " + ex.getMessage());
        }
        try {
            return new Field(der, platforms.parse(der));
        } catch (PlatformCertificates.Refused r) {
            throw Payload.invalid(PlatformReasons.INVALID, FIELD, "payload." + FIELD + ": " + r.getMessage());
        }
    }

    /**
     * Checks the certificate for {@code unit} at {@code at} and compares it with what is assembled in the unit.
     *
     * @throws PlatformCertificates.Refused the first check that fails
     */
    static PlatformComparison check(BatchContext ctx, PlatformCertificates platforms, CustodyState.Unit u, Field field,
                                    long index, Instant at) throws SQLException {
        PlatformCertificates.Certificate cert = field.certificate();
        UnitKey key = u.key();
        if (cert.delta()) {
            throw new PlatformCertificates.Refused(PlatformReasons.DELTA, "a delta platform certificate lists changes "
                    + "to a base certificate, not the platform's components; submit the platform's base certificate");
        }
        String caId = platforms.verify(field.der(), AttestationState.of(ctx).trust(key.manufacturer()), at);
        if (!key.serial().equals(cert.platformSerial())) {
            throw new PlatformCertificates.Refused(PlatformReasons.SERIAL_MISMATCH, "the platform certificate's "
                    + "platform serial is " + (cert.platformSerial() == null ? "missing"
                    : "\"" + cert.platformSerial() + "\"") + ", not the unit's serial \"" + key.serial() + "\"");
        }
        CustodyState s = CustodyState.of(ctx);
        Registry registry = Registry.of(ctx);
        List<PlatformMatching.Assembled> assembled = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        names.put(key.manufacturer(), registry.org(key.manufacturer()).map(Registry.OrgRow::name).orElse(null));
        for (UnitKey k : u.components().stream().sorted().toList()) {
            CustodyState.Unit child = s.unit(k).orElseThrow(() -> new SQLException("component " + k + " is missing"));
            assembled.add(new PlatformMatching.Assembled(k, child.model()));
            if (!names.containsKey(k.manufacturer())) {
                names.put(k.manufacturer(), registry.org(k.manufacturer()).map(Registry.OrgRow::name).orElse(null));
            }
        }
        names.values().removeIf(java.util.Objects::isNull);
        return PlatformMatching.compare(platforms, key, u.model(), cert, index, at, caId, assembled, names);
    }

    /** Whether a unit may carry a platform certificate: a server, or a unit with components assembled in it. */
    static boolean isPlatform(CustodyState.Unit u) {
        return "server".equals(u.kind()) || !u.components().isEmpty();
    }

    /** The refusal of a {@code unit.certify} for a failed check. */
    static LedgerException refuse(PlatformCertificates.Refused r, UnitKey unit) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", "payload." + FIELD);
        details.put("unit", Rules.unitDetail(unit));
        return new LedgerException(LedgerException.Kind.RULE, r.code(), "Platform certificate refused",
                r.getMessage() + " (" + PlatformReasons.describe(r.code()) + ")", details, null);
    }
}
