package org.fabtrail.custody;

import java.util.UUID;

/** The payload of {@code transfer.reject} and {@code transfer.cancel}. */
public record TransferEndPayload(UUID transfer, String reason) implements PayloadRecord {
}
