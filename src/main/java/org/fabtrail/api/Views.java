package org.fabtrail.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;
import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.Pem;
import org.fabtrail.crypto.StrictJson;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.LedgerStore;
import org.fabtrail.ledger.Receipts;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the read API. Each record maps from a domain record with a small static method. */
public final class Views {

    private Views() {
    }

    /** {@code {"manufacturer": "...", "serial": "..."}} */
    public record UnitRef(String manufacturer, String serial) {
        static UnitRef from(UnitKey k) {
            return k == null ? null : new UnitRef(k.manufacturer(), k.serial());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"manufacturer", "serial", "kind", "model", "eccn", "status", "custodian", "site", "parent",
            "components", "pendingTransfer"})
    public record UnitView(String manufacturer, String serial, String kind, String model, String eccn, String status,
                           String custodian, String site, UnitRef parent, List<UnitRef> components,
                           TransferView pendingTransfer, String deviceCertificate, long registeredIndex,
                           Instant registeredAt, long lastIndex, Instant updatedAt) {
        static UnitView from(CustodyQueries.UnitRecord u, List<UnitKey> components, TransferView pending) {
            return new UnitView(u.key().manufacturer(), u.key().serial(), u.kind(), u.model(), u.eccn(), u.status(),
                    u.custodian(), u.site(), UnitRef.from(u.parent()),
                    components == null ? null : components.stream().map(UnitRef::from).toList(), pending,
                    u.deviceCertificate() == null ? null : Pem.encode("CERTIFICATE", u.deviceCertificate()),
                    u.registeredIdx(), u.registeredAt(), u.lastIdx(), u.updatedAt());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TransferUnitView(String manufacturer, String serial, String state, Long receivedIndex,
                                   String receivedSite) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"id", "state", "sender", "senderSite", "receiver", "receiverSite"})
    public record TransferView(String id, String state, String sender, String senderSite, String receiver,
                               String receiverSite, String carrier, String shipmentRef, String licenceRef,
                               Instant expectedArrival, long dispatchIndex, Instant dispatchedAt, Long closedIndex,
                               Instant closedAt, List<TransferUnitView> units) {
        static TransferView from(CustodyQueries.TransferRecord t) {
            return new TransferView(t.id().toString(), t.state(), t.sender(), t.senderSite(), t.receiver(),
                    t.receiverSite(), t.carrier(), t.shipmentRef(), t.licenceRef(), t.expectedArrival(),
                    t.dispatchIdx(), t.dispatchedAt(), t.closedIdx(), t.closedAt(),
                    t.units().stream().map(u -> new TransferUnitView(u.unit().manufacturer(), u.unit().serial(),
                            u.state(), u.receivedIdx(), u.receivedSite())).toList());
        }
    }

    /** A log entry as the feed and histories show it: the envelope as JSON, with its place in the log. */
    @JsonPropertyOrder({"index", "id", "type", "actor", "integratedTime", "leafHash", "envelope"})
    public record EntryView(long index, String id, String type, String actor, String integratedTime, String leafHash,
                            @JsonRawValue String envelope) {
        @SuppressWarnings("unchecked")
        static EntryView from(LedgerStore.StoredEntry e) {
            Map<String, Object> leaf = (Map<String, Object>) StrictJson.parse(e.leaf());
            return new EntryView(e.index(), e.entryId().toString(), e.type(), e.actor(),
                    Receipts.formatTime(e.integratedTime()), HexFormat.of().formatHex(e.leafHash()),
                    Jcs.canonicalString(leaf.get("envelope")));
        }
    }

    @JsonPropertyOrder({"id", "name", "country", "roles"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OrgView(String id, String name, String country, List<String> roles, long registeredIndex,
                          List<SiteView> sites, List<KeyView> keys) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SiteView(String org, String id, String name, String country, String address, Double latitude,
                           Double longitude, long registeredIndex) {
        static SiteView from(CustodyQueries.SiteRecord s) {
            return new SiteView(s.org(), s.id(), s.name(), s.country(), s.address(), s.latitude(), s.longitude(),
                    s.registeredIdx());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"keyId", "org", "alg", "publicKey", "addedIndex", "revokedIndex"})
    public record KeyView(String keyId, String org, String alg, String publicKey, long addedIndex, Long revokedIndex) {
        static KeyView from(CustodyQueries.KeyRecord k) {
            return new KeyView(k.keyId(), k.org(), k.algorithm(), Pem.encode("PUBLIC KEY", k.spki()), k.addedIdx(),
                    k.revokedIdx());
        }
    }

    /** A page of results with the cursor for the next page (absent on the last page). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Page<T>(List<T> items, String next) {
    }
}
