package org.fabtrail.attestation;

import org.fabtrail.custody.PayloadRecord;
import org.fabtrail.custody.UnitKey;

import java.util.List;

/**
 * The payload of {@code unit.certify} as a writer gives it: the unit, and its device certificate (with the
 * intermediates to a registered CA) and platform certificate in PEM; every field but {@code unit} may be null, though
 * one of the certificates is required. The entry type reads it into its own record, with the certificates parsed.
 */
public record UnitCertification(UnitKey unit, String deviceCertificate, List<String> deviceCertificateChain,
                                String platformCertificate) implements PayloadRecord {
}
