package org.fabtrail.custody;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What an accepted entry did, as the rules saw it at that point of the log: the input of the discrepancy detectors
 * (org.fabtrail.discrepancy), which run inside the same sequencing transaction and so see exactly the state the
 * rules saw, not a later one. Custody's facts are the records here; an entry type of another package adds facts of
 * its own kind (attestation's {@code PlatformFact}) through {@link Facts#add}.
 */
public interface Fact {

    /** The entry's index in the log (the evidence a finding names). */
    long index();

    /** The entry's integrated time. */
    Instant at();

    /** An actor's claimed time ({@code payload.time}) bounded by the entry's integrated time; the latter without one. */
    static Instant claimedTime(Instant claimed, Instant integrated) {
        return claimed == null || claimed.isAfter(integrated) ? integrated : claimed;
    }

    /** A site with its country (ISO 3166-1 alpha-2), optional coordinates and its postal address (null if unknown). */
    record Place(String org, String site, String country, Double latitude, Double longitude, String address) {
        public Place(String org, String site, String country, Double latitude, Double longitude) {
            this(org, site, country, latitude, longitude, null);
        }

        public String ref() {
            return org + "/" + site;
        }
    }

    /** A unit with what the rules knew of it: status before the entry, ECCN, custodian and site. */
    record UnitSnapshot(UnitKey key, String kind, String eccn, String status, String custodian, String site,
                        UnitKey parent) {
    }

    /**
     * A custody activity on a unit (dispatch, receive, assemble, disassemble, certify, inspect), with the unit's
     * status before it.
     */
    record Activity(long index, Instant at, String type, String actor, UnitSnapshot unit) implements Fact {
    }

    /**
     * A dispatch: who sends what from where to whom, and the licence it cites with its terms when given (valid until,
     * destination countries; null when not given). {@code claimed} is the sender's {@code payload.time}.
     */
    record Dispatch(long index, Instant at, UUID transfer, String sender, Place from, String receiver,
                    String receiverName, Place to, String licenceRef, Instant expectedArrival,
                    List<UnitSnapshot> units, Instant claimed, Instant licenceValidUntil,
                    List<String> licenceCountries) implements Fact {

        /** The sender's claimed time, no later than the integrated time. */
        public Instant claimedAt() {
            return Fact.claimedTime(claimed, at);
        }
    }

    /** A receipt: what arrived where, and what the dispatch still has in transit. */
    record Receipt(long index, Instant at, UUID transfer, long dispatchIdx, String sender, String receiver,
                   Place named, Place actual, List<UnitKey> received, List<UnitKey> stillInTransit) implements Fact {
    }

    /**
     * An inspection: where and with whom the inspector found the unit, what the ledger recorded, the attestation
     * verdict (null without an attestation), and, when the device presented a certificate whose key the ledger binds
     * to another unit, that unit ({@code identityOf}, else null). When the inspector listed the components found
     * inside ({@code foundComponents}, else null), they can be compared with the ones recorded.
     */
    record Inspection(long index, Instant at, String inspector, UnitKey unit, Place site, String custodianFound,
                      String recordedCustodian, Place recordedSite, String result, String verdict,
                      List<String> reasons, String notes, UnitKey identityOf, List<UnitKey> recordedComponents,
                      List<FoundComponent> foundComponents) implements Fact {
    }

    /**
     * A component the inspector found installed in the inspected unit, with where the ledger records it: the
     * parent it is assembled in (null when none), or unknown to the ledger.
     */
    record FoundComponent(UnitKey unit, boolean known, UnitKey recordedParent) {
    }

    /** A unit assembled into (or taken out of) a parent. */
    record Assembly(long index, Instant at, String actor, UnitKey parent, UnitKey child, boolean assembled)
            implements Fact {
    }

    /**
     * Units seen at a place: a registration's site, a dispatch's origin, a receipt's site, an inspection's site.
     * {@code claimed} is the actor's {@code payload.time}; {@link #seenAt()} bounds it by the integrated time (a claim
     * can be in the past, not after the log saw the entry).
     */
    record Sighting(long index, Instant at, Instant claimed, String event, String actor, List<UnitKey> units,
                    Place place) implements Fact {

        /** The time the actor claims, no later than the log's integrated time. */
        public Instant seenAt() {
            return Fact.claimedTime(claimed, at);
        }
    }
}
