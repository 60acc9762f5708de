package org.fabtrail.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;
import org.fabtrail.attestation.PlatformCertificates;
import org.fabtrail.attestation.PlatformComparison;
import org.fabtrail.attestation.PlatformComparisons;
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
                           Instant registeredAt, long lastIndex, Instant updatedAt, PlatformView platformCertificate) {
        static UnitView from(CustodyQueries.UnitRecord u, List<UnitKey> components, TransferView pending) {
            return from(u, components, pending, null);
        }

        static UnitView from(CustodyQueries.UnitRecord u, List<UnitKey> components, TransferView pending,
                             PlatformView platform) {
            return new UnitView(u.key().manufacturer(), u.key().serial(), u.kind(), u.model(), u.eccn(), u.status(),
                    u.custodian(), u.site(), UnitRef.from(u.parent()),
                    components == null ? null : components.stream().map(UnitRef::from).toList(), pending,
                    u.deviceCertificate() == null ? null : Pem.encode("CERTIFICATE", u.deviceCertificate()),
                    u.registeredIdx(), u.registeredAt(), u.lastIdx(), u.updatedAt(), platform);
        }
    }

    /**
     * A unit's current platform certificate: what it says, which registered CA verified it, the comparison recorded
     * when it was certified ({@code recorded}) and its comparison with what is assembled now ({@code comparison}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"index", "certifiedAt", "sha256Fingerprint", "serialNumber", "issuer", "verifiedBy", "holder",
            "platform", "notBefore", "notAfter", "recorded", "comparison", "certificate"})
    public record PlatformView(long index, Instant certifiedAt, String sha256Fingerprint, String serialNumber,
                               String issuer, CaRef verifiedBy, String holder, PlatformIdentityView platform,
                               Instant notBefore, Instant notAfter, CountsView recorded, ComparisonView comparison,
                               String certificate) {
        static PlatformView from(PlatformComparisons.PlatformRecord r, PlatformComparison cmp, String caSubject) {
            PlatformCertificates.Certificate c = cmp.certificate();
            return new PlatformView(r.index(), r.at(), c.sha256Fingerprint(), c.serialNumber(), c.issuer(),
                    new CaRef(r.caId(), caSubject), c.holder(), new PlatformIdentityView(c.platformManufacturer(),
                    c.platformModel(), c.platformVersion(), c.platformSerial()), c.notBefore(), c.notAfter(),
                    CountsView.from(r.recorded()), ComparisonView.from(cmp), Pem.encode("ATTRIBUTE CERTIFICATE", r.der()));
        }
    }

    public record CaRef(String caId, String subject) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PlatformIdentityView(String manufacturer, String model, String version, String serial) {
    }

    @JsonPropertyOrder({"present", "missing", "unexpected", "notComparable"})
    public record CountsView(int present, int missing, int unexpected, int notComparable) {
        static CountsView from(PlatformComparison.Counts n) {
            return new CountsView(n.present(), n.missing(), n.unexpected(), n.notComparable());
        }
    }

    @JsonPropertyOrder({"consistent", "counts", "rows"})
    public record ComparisonView(boolean consistent, CountsView counts, List<ComparisonRowView> rows) {
        static ComparisonView from(PlatformComparison cmp) {
            return new ComparisonView(cmp.consistent(), CountsView.from(cmp.counts()),
                    cmp.rows().stream().map(ComparisonRowView::from).toList());
        }
    }

    /** A row: the certified component (absent for {@code unexpected}) and the custody unit found (absent when none). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"status", "componentClass", "manufacturer", "model", "serial", "revision", "unit", "unitModel",
            "modelDiffers"})
    public record ComparisonRowView(String status, String componentClass, String manufacturer, String model,
                                    String serial, String revision, UnitRef unit, String unitModel,
                                    Boolean modelDiffers) {
        static ComparisonRowView from(PlatformComparison.Row r) {
            PlatformCertificates.CertifiedComponent c = r.certified();
            return new ComparisonRowView(r.status(), c == null ? null : c.componentClass(),
                    c == null ? null : c.manufacturer(), c == null ? null : c.model(), c == null ? null : c.serial(),
                    c == null ? null : c.revision(), UnitRef.from(r.unit()), r.unitModel(),
                    r.modelDiffers() ? Boolean.TRUE : null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"manufacturer", "serial", "state", "receivedIndex", "receivedSite", "custody"})
    public record TransferUnitView(String manufacturer, String serial, String state, Long receivedIndex,
                                   String receivedSite, UnitCustodyView custody) {
    }

    /**
     * A unit's custody at a glance, in one transfer's answer: where it stands now and every organisation that held
     * it, in order, since the entry that made it the custodian (its registration, then each receipt).
     */
    @JsonPropertyOrder({"status", "custodian", "site", "custodians"})
    public record UnitCustodyView(String status, String custodian, String site, List<CustodianView> custodians) {
        static UnitCustodyView from(CustodyQueries.UnitRecord u, List<CustodyQueries.CustodyStop> chain) {
            return new UnitCustodyView(u.status(), u.custodian(), u.site(), chain.stream()
                    .map(s -> new CustodianView(s.org(), s.sinceIdx(), s.since())).toList());
        }
    }

    @JsonPropertyOrder({"org", "sinceIndex", "since"})
    public record CustodianView(String org, long sinceIndex, Instant since) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"id", "state", "sender", "senderSite", "receiver", "receiverSite"})
    public record TransferView(String id, String state, String sender, String senderSite, String receiver,
                               String receiverSite, String carrier, String shipmentRef, String licenceRef,
                               Instant expectedArrival, long dispatchIndex, Instant dispatchedAt, Long closedIndex,
                               Instant closedAt, List<TransferUnitView> units) {
        static TransferView from(CustodyQueries.TransferRecord t) {
            return from(t, Map.of());
        }

        /** With each unit's custody summary where {@code custody} has one. */
        static TransferView from(CustodyQueries.TransferRecord t, Map<UnitKey, UnitCustodyView> custody) {
            return new TransferView(t.id().toString(), t.state(), t.sender(), t.senderSite(), t.receiver(),
                    t.receiverSite(), t.carrier(), t.shipmentRef(), t.licenceRef(), t.expectedArrival(),
                    t.dispatchIdx(), t.dispatchedAt(), t.closedIdx(), t.closedAt(),
                    t.units().stream().map(u -> new TransferUnitView(u.unit().manufacturer(), u.unit().serial(),
                            u.state(), u.receivedIdx(), u.receivedSite(), custody.get(u.unit()))).toList());
        }
    }

    /** A log entry as the feed and histories show it: the envelope as JSON, with its place in the log. */
    @JsonPropertyOrder({"index", "id", "type", "actor", "integratedTime", "leafHash", "envelope"})
    public record EntryView(long index, String id, String type, String actor, String integratedTime, String leafHash,
                            @JsonRawValue @org.eclipse.microprofile.openapi.annotations.media.Schema(
                                    ref = ApiDocument.SIGNED_ENTRY) String envelope) {
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
