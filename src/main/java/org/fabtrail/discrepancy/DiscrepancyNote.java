package org.fabtrail.discrepancy;

import org.fabtrail.custody.PayloadRecord;

import java.util.List;
import java.util.UUID;

/**
 * The payload of {@code discrepancy.note} as a writer gives it; {@code state}, {@code evidence} and
 * {@code documents} may be null (not given). The entry type reads it into its own record, which checks the evidence
 * against the entry's index only when it is applied.
 */
public record DiscrepancyNote(UUID discrepancy, String note, String state, List<Long> evidence,
                              List<Document> documents) implements PayloadRecord {

    /** A document the note attaches: its name, the lowercase hex SHA-256 of its bytes and its size in bytes. */
    public record Document(String name, String sha256, long size) implements PayloadRecord {
    }
}
