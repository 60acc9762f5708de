package org.fabtrail.attestation;

import org.fabtrail.custody.CustodyState;
import org.fabtrail.custody.PayloadRecord;
import org.fabtrail.custody.UnitKey;

import java.util.List;
import java.util.Map;

/**
 * The payload of {@code unit.inspect} as a writer gives it: what the inspector found, the platform certificate read
 * from the server (PEM) as text, and the device's answer to a challenge with its verdict as the JSON objects
 * {@link Attestations} reads ({@code attestation}, {@code verdict}). Every field but {@code unit}, {@code result} and
 * {@code notes} may be null. The entry type reads it into its own record, with the evidence and certificate parsed.
 */
public record Inspection(UnitKey unit, CustodyState.SiteKey site, String custodian, String result, String notes,
                         List<UnitKey> components, String platformCertificate, Map<String, Object> attestation,
                         Map<String, Object> verdict) implements PayloadRecord {
}
