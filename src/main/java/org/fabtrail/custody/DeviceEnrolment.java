package org.fabtrail.custody;

import org.fabtrail.ledger.BatchContext;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Set;

/**
 * The device identity a unit may be registered with: the part of {@code unit.register} that custody leaves to the
 * attestation package. Custody keeps the certificate with the unit ({@link CustodyState.Unit#deviceCertificate()});
 * the implementation reads its fields, checks it against the manufacturer's device CAs and binds its key to the unit.
 *
 * <p>Contract: {@link #read} is stateless and deterministic (as {@link EntryType#read}); {@link #enrol} refuses
 * (throws a LedgerException) before writing anything, and writes only through the batch's states.
 */
public interface DeviceEnrolment {

    /** A certificate as {@link #read} found it; {@link #enrol} takes only what this enrolment's read returned. */
    interface Certificate {

        /** The device certificate's DER, as the unit keeps it. */
        byte[] der();
    }

    /** The payload fields this adds to {@code unit.register} (all optional). */
    Set<String> fields();

    /** The certificate the payload carries, checked field by field, or null when it carries none. */
    Certificate read(Payload payload);

    /** Names what {@link #enrol} will read for the manufacturer's unit. */
    void prefetch(Certificate certificate, String manufacturer, Wants wants);

    /**
     * Checks the certificate for {@code unit} at {@code at} (the entry's integrated time) and binds its key to the
     * unit from {@code index} on.
     */
    void enrol(BatchContext ctx, UnitKey unit, Certificate certificate, long index, Instant at) throws SQLException;
}
