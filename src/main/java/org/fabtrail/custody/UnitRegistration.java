package org.fabtrail.custody;

/**
 * The payload of {@code unit.register} as a writer gives it: the serial of a unit of the actor, and the device
 * certificate (PEM) as text; {@code eccn} and {@code deviceCertificate} may be null. The entry type reads it into
 * its own record, which names the unit with its manufacturer (the actor) and keeps the certificate parsed.
 */
public record UnitRegistration(String serial, String kind, String model, String eccn, String site,
                               String deviceCertificate) implements PayloadRecord {
}
