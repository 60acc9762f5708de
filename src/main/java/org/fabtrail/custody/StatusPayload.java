package org.fabtrail.custody;

/** The payload of {@code unit.status}. */
public record StatusPayload(UnitKey unit, String status, String reason) implements PayloadRecord {
}
