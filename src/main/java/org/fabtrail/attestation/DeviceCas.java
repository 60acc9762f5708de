package org.fabtrail.attestation;

import org.fabtrail.crypto.Pem;
import org.fabtrail.custody.AbstractEntryType;
import org.fabtrail.custody.EntryType;
import org.fabtrail.custody.Payload;
import org.fabtrail.custody.PayloadSchema;
import org.fabtrail.custody.Roles;
import org.fabtrail.custody.Rules;
import org.fabtrail.custody.Wants;
import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.LedgerException;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A manufacturer's device CAs: {@code ca.add} registers a CA certificate (root or intermediate) that its device
 * certificates chain to, {@code ca.revoke} withdraws one, {@code ca.crl} registers a CA's certificate revocation list
 * (a newer one replaces the older). Only organisations with the role manufacturer, each for its own CAs.
 *
 * <p>A withdrawal binds the CA's key: a CA certificate of a withdrawn key (of any manufacturer) is never registered
 * again ({@code ca-key-withdrawn}), a registered one of that key counts as withdrawn too, and its CRLs are no longer
 * accepted. An expired CA is refused ({@code ca-expired}), and so is a CRL already past its {@code nextUpdate}
 * ({@code crl-stale}).
 */
final class DeviceCas {

    static final int MAX_CERTIFICATE = 16384;
    static final int MAX_CRL = 60000;
    private static final Pattern CA_ID = Pattern.compile("[0-9a-f]{64}");

    private DeviceCas() {
    }

    static List<EntryType<?>> types(DeviceIdentity identity) {
        return List.of(new Add(identity), new Revoke(), new CrlUpdate(identity));
    }

    static LedgerException notFound(String org, String caId) {
        return Payload.refusal(LedgerException.Kind.NOT_FOUND, "ca-not-found", "No such device CA", "caId",
                "\"" + org + "\" has registered no device CA " + caId);
    }

    /** {@code ca.add}: field {@code certificate}, a PEM X.509 CA certificate. */
    static final class Add extends AbstractEntryType<DeviceIdentity.CaCertificate> {
        static final String TYPE = "ca.add";
        private static final Set<String> FIELDS = Set.of("certificate");
        private final DeviceIdentity identity;

        Add(DeviceIdentity identity) {
            super(TYPE, DeviceIdentity.CaCertificate.class, FIELDS, Set.of());
            this.identity = identity;
        }

        /** The payload record is the CA certificate, parsed. */
        @Override
        public PayloadSchema schema() {
            return fields().field("certificate", PayloadSchema.string(MAX_CERTIFICATE));
        }

        @Override
        protected DeviceIdentity.CaCertificate read(Envelope e, Payload p) {
            String pem = p.string("certificate", MAX_CERTIFICATE);
            byte[] der;
            try {
                der = Pem.decode(pem, "CERTIFICATE");
            } catch (RuntimeException ex) {
                throw Payload.invalid("invalid-certificate", "certificate", "payload.certificate must be one PEM "
                        + "CERTIFICATE block: " + ex.getMessage());
            }
            try {
                return identity.parseCa(der);
            } catch (DeviceIdentity.Refused r) {
                throw Payload.invalid(r.code(), "certificate", "payload.certificate: " + r.getMessage());
            }
        }

        @Override
        public void prefetch(Envelope e, DeviceIdentity.CaCertificate ca, Wants wants) {
            AttestationState.of(wants.context()).wantCas(e.actor());
        }

        @Override
        public void apply(Envelope e, DeviceIdentity.CaCertificate ca, long index, Instant at, BatchContext ctx)
                throws SQLException {
            Rules.requireRole(ctx, e.actor(), Roles.MANUFACTURER);
            AttestationState s = AttestationState.of(ctx);
            if (s.cas(e.actor()).containsKey(ca.caId())) {
                throw Payload.refusal(LedgerException.Kind.CONFLICT, "ca-exists", "Device CA exists", "certificate",
                        "\"" + e.actor() + "\" already registered the device CA " + ca.caId() + " (" + ca.subject() + ")");
            }
            if (ca.notAfter().isBefore(at)) {
                throw Payload.refusal(LedgerException.Kind.RULE, "ca-expired", "Device CA expired", "certificate",
                        "The device CA " + ca.caId() + " (" + ca.subject() + ") expired at " + ca.notAfter()
                                + "; an expired CA is no trust anchor");
            }
            for (byte[] withdrawn : s.revokedCaCertificates()) {
                if (identity.parseCa(withdrawn).keyId().equals(ca.keyId())) {
                    throw Payload.refusal(LedgerException.Kind.CONFLICT, "ca-key-withdrawn", "CA key withdrawn", "certificate",
                            "The key " + ca.keyId() + " of this CA certificate (" + ca.subject() + ") is the key of a "
                                    + "device CA that was withdrawn (ca.revoke); a withdrawal binds the key, so no "
                                    + "certificate of it is registered again");
                }
            }
            AttestationState.Ca row = new AttestationState.Ca(e.actor(), ca.caId(), ca.der(), ca.subject());
            row.addedIdx = index;
            row.addedAt = at;
            s.addCa(row);
        }
    }

    /** {@code ca.revoke}: fields {@code caId}, optional {@code reason}. */
    static final class Revoke extends AbstractEntryType<Revoke.Fields> {
        static final String TYPE = "ca.revoke";
        private static final Set<String> REQUIRED = Set.of("caId");
        private static final Set<String> OPTIONAL = Set.of("reason");

        /** The payload record; {@code reason} may be null. */
        record Fields(String caId, String reason) {
        }

        Revoke() {
            super(TYPE, Revoke.Fields.class, REQUIRED, OPTIONAL);
        }

        @Override
        public PayloadSchema schema() {
            return fields().field("caId", PayloadSchema.string(64)).field("reason", PayloadSchema.string(500));
        }

        @Override
        protected Fields read(Envelope e, Payload p) {
            String reason = p.optionalString("reason", 500);
            String id = p.string("caId", 64);
            if (!CA_ID.matcher(id).matches()) {
                throw Payload.invalid("invalid-ca-id", "caId", "payload.caId must be 64 lowercase hex digits: the "
                        + "SHA-256 of the CA certificate's DER");
            }
            return new Fields(id, reason);
        }

        @Override
        public void prefetch(Envelope e, Fields f, Wants wants) {
            AttestationState.of(wants.context()).wantCas(e.actor());
        }

        @Override
        public void apply(Envelope e, Fields f, long index, Instant at, BatchContext ctx) throws SQLException {
            String caId = f.caId();
            Rules.requireRole(ctx, e.actor(), Roles.MANUFACTURER);
            AttestationState s = AttestationState.of(ctx);
            AttestationState.Ca ca = s.cas(e.actor()).get(caId);
            if (ca == null) {
                throw notFound(e.actor(), caId);
            }
            if (ca.revoked()) {
                throw Payload.refusal(LedgerException.Kind.CONFLICT, "ca-already-revoked", "Device CA revoked", "caId",
                        "The device CA " + caId + " was already revoked at index " + ca.revokedIdx);
            }
            ca.revokedIdx = index;
            ca.revokedAt = at;
            s.changedCa(ca);
        }
    }

    /** {@code ca.crl}: field {@code crl}, a PEM X.509 CRL ({@code X509 CRL}) signed by one of the actor's CAs. */
    static final class CrlUpdate extends AbstractEntryType<CrlUpdate.Fields> {
        static final String TYPE = "ca.crl";
        private static final Set<String> FIELDS = Set.of("crl");
        private final DeviceIdentity identity;

        CrlUpdate(DeviceIdentity identity) {
            super(TYPE, CrlUpdate.Fields.class, FIELDS, Set.of());
            this.identity = identity;
        }

        /**
         * The payload record: the CRL's DER (which CA signed it, and whether it verifies, depends on the CAs
         * registered when it is applied).
         */
        record Fields(byte[] der) {
        }

        @Override
        public PayloadSchema schema() {
            return fields().field("crl", PayloadSchema.string(MAX_CRL));
        }

        @Override
        protected Fields read(Envelope e, Payload p) {
            String pem = p.string("crl", MAX_CRL);
            try {
                return new Fields(Pem.decode(pem, "X509 CRL"));
            } catch (RuntimeException ex) {
                throw Payload.invalid("invalid-crl", "crl", "payload.crl must be one PEM \"X509 CRL\" block: "
                        + ex.getMessage());
            }
        }

        @Override
        public void prefetch(Envelope e, Fields f, Wants wants) {
            AttestationState.of(wants.context()).wantCas(e.actor());
        }

        @Override
        public void apply(Envelope e, Fields f, long index, Instant at, BatchContext ctx) throws SQLException {
            byte[] der = f.der();
            Rules.requireRole(ctx, e.actor(), Roles.MANUFACTURER);
            AttestationState s = AttestationState.of(ctx);
            // the actor's CAs that are not withdrawn: not revoked, and not of a revoked CA's key
            List<DeviceIdentity.CaCertificate> registered = new ArrayList<>();
            Set<String> withdrawnKeys = new HashSet<>();
            for (AttestationState.Ca c : s.cas(e.actor()).values()) {
                DeviceIdentity.CaCertificate parsed = identity.parseCa(c.der);
                registered.add(parsed);
                if (c.revoked()) {
                    withdrawnKeys.add(parsed.keyId());
                }
            }
            List<DeviceIdentity.CaCertificate> active = registered.stream()
                    .filter(c -> !withdrawnKeys.contains(c.keyId())).toList();
            DeviceIdentity.Crl crl;
            try {
                crl = identity.parseCrl(der, active);
            } catch (DeviceIdentity.Refused r) {
                throw Payload.invalid(r.code(), "crl", "payload.crl: " + r.getMessage());
            }
            if (crl.nextUpdate() != null && crl.nextUpdate().isBefore(at)) {
                throw Payload.refusal(LedgerException.Kind.RULE, AttestationReasons.CRL_STALE, "Stale CRL", "crl",
                        "The CRL's nextUpdate " + crl.nextUpdate() + " has passed: its issuer has published (or owes) a "
                                + "newer one; register that");
            }
            AttestationState.Ca ca = s.cas(e.actor()).get(crl.caId());
            if (ca.crl != null) {
                boolean newer = crl.number() != null && ca.crlNumber != null ? crl.number().compareTo(ca.crlNumber) > 0
                        : crl.thisUpdate().isAfter(ca.crlThisUpdate);
                if (!newer) {
                    throw Payload.refusal(LedgerException.Kind.CONFLICT, "crl-outdated", "CRL not newer", "crl",
                            "The device CA " + ca.caId + " already has a CRL registered at index " + ca.crlIdx
                                    + " that is as new as this one (CRL number, or thisUpdate when either has none)");
                }
            }
            ca.crl = der;
            ca.crlThisUpdate = crl.thisUpdate();
            ca.crlNumber = crl.number();
            ca.crlIdx = index;
            s.changedCa(ca);
        }
    }
}
