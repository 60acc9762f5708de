package org.fabtrail.custody;

import java.util.List;
import java.util.UUID;

/** The payload of {@code transfer.receive}. */
public record ReceivePayload(UUID transfer, String site, List<UnitKey> units) implements PayloadRecord {
}
