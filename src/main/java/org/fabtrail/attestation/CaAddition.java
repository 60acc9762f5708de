package org.fabtrail.attestation;

import org.fabtrail.custody.PayloadRecord;

/**
 * The payload of {@code ca.add} as a writer gives it: the device CA's certificate in PEM. The entry type reads it
 * into the certificate parsed.
 */
public record CaAddition(String certificate) implements PayloadRecord {
}
