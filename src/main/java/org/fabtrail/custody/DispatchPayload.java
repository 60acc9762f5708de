package org.fabtrail.custody;

import java.time.Instant;
import java.util.List;

/** The payload of {@code transfer.dispatch}; the optional fields may be null. */
public record DispatchPayload(List<UnitKey> units, String to, String toSite, String carrier, String shipmentRef,
                              String licenceRef, Instant expectedArrival, Instant licenceValidUntil,
                              List<String> licenceCountries) implements PayloadRecord {
}
