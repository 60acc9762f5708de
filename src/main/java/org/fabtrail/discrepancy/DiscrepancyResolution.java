package org.fabtrail.discrepancy;

import org.fabtrail.custody.PayloadRecord;

import java.util.UUID;

/** The payload of {@code discrepancy.resolve}: the finding, its outcome and why. */
public record DiscrepancyResolution(UUID discrepancy, String outcome, String reason) implements PayloadRecord {
}
