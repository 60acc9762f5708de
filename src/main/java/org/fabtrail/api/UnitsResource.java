package org.fabtrail.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.fabtrail.api.auth.Authenticator;
import org.fabtrail.api.auth.Caller;
import org.fabtrail.attestation.UnitPlatforms;
import org.fabtrail.crypto.JsonFormatException;
import org.fabtrail.crypto.StrictJson;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.custody.UnitBundles;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.custody.Units;
import org.fabtrail.custody.Visibility;
import org.fabtrail.ledger.CheckpointSigner;
import org.fabtrail.ledger.CosignedCheckpoints;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.SafeText;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Units for partner reconciliation and inspectors: current state, history, and the offline bundle. A unit the
 * caller may not see answers 404, exactly like a unit that does not exist.
 */
@Path("/api/v1/units")
@Tag(name = "Units")
@Produces(MediaType.APPLICATION_JSON)
public class UnitsResource {

    /** Most items on one page. */
    public static final int MAX_PAGE = 500;

    @Inject
    Authenticator auth;
    @Inject
    Units units;
    @Inject
    UnitPlatforms platforms;
    @Inject
    CheckpointSigner signer;

    static UnitKey key(String manufacturer, String serial) {
        if (!EnvelopeParser.SLUG.matcher(manufacturer).matches()
                || !UnitKey.SERIAL.matcher(serial).matches()) {
            throw notFound(manufacturer, serial);
        }
        return new UnitKey(manufacturer, serial);
    }

    static LedgerException notFound(String manufacturer, String serial) {
        return new LedgerException(LedgerException.Kind.NOT_FOUND, "unit-not-found", "No such unit",
                "No unit " + manufacturer + "/" + serial + " that you may see");
    }

    /**
     * The unit as JSON. Its pending transfer lists only the units the caller may see, unless the caller sends or
     * receives that transfer ({@link Units#detail}).
     */
    Views.UnitView view(Units.UnitDetail d) {
        Views.TransferView pending = d.pending() == null ? null : Views.TransferView.from(d.pending());
        return Views.UnitView.from(d.unit(), d.components(), pending, platform(d.unit().key()));
    }

    /** The unit's current platform certificate with its comparison, or null. */
    public Views.PlatformView platform(UnitKey unit) {
        return platforms.current(unit).map(p -> Views.PlatformView.from(p.record(), p.comparison(), p.caSubject()))
                .orElse(null);
    }

    @GET
    @Operation(operationId = "listUnits", summary = "Units you may see, filtered, in (manufacturer, serial) order with cursor pagination")
    public Views.Page<Views.UnitView> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                           @QueryParam("custodian") String custodian, @QueryParam("site") String site,
                                           @QueryParam("status") String status, @QueryParam("kind") String kind,
                                           @QueryParam("model") String model,
                                           @QueryParam("manufacturer") String manufacturer,
                                           @QueryParam("after") String after, @QueryParam("limit") String limit) {
        Caller caller = auth.caller(authorization).require(Caller.READ);
        int n = Paging.limit(limit, 100, MAX_PAGE);
        UnitKey cursor = Paging.unitCursor(after);
        CustodyQueries.UnitFilter filter = new CustodyQueries.UnitFilter(custodian, site, status, kind, model, manufacturer);
        List<CustodyQueries.UnitRecord> rows = units.page(caller.visibility(), filter, cursor, n + 1);
        String next = rows.size() > n ? Paging.unitCursor(rows.get(n - 1).key()) : null;
        return new Views.Page<>(items(rows, n), next);
    }

    /** Page of a list: the first {@code n} rows as list items (no components or pending transfer). */
    private static List<Views.UnitView> items(List<CustodyQueries.UnitRecord> rows, int n) {
        return rows.subList(0, Math.min(n, rows.size())).stream().map(u -> Views.UnitView.from(u, null, null)).toList();
    }

    @GET
    @Path("changes")
    @Operation(operationId = "listUnitChanges", summary = "Units you may see whose state changed after a log index, "
            + "in the order of their last change, with a cursor that never loses its place")
    public Views.Page<Views.UnitView> changes(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(description = "a log index (the units whose last change came after it), or the previous "
                    + "page's next; absent: from the start of the log") @QueryParam("after") String after,
            @QueryParam("limit") String limit) {
        Caller caller = auth.caller(authorization).require(Caller.READ);
        Paging.ChangePosition from = Paging.changeCursor(after);
        int n = Paging.limit(limit, 100, MAX_PAGE);
        List<CustodyQueries.UnitRecord> rows = units.changed(caller.visibility(), from.index(), from.unit(), n);
        // like the feed, next is on every page (on an empty one it repeats after): a poller keeps its place
        String next = rows.isEmpty() ? (after == null || after.isEmpty() ? null : after)
                : Paging.changeCursor(rows.get(rows.size() - 1).lastIdx(), rows.get(rows.size() - 1).key());
        return new Views.Page<>(items(rows, n), next);
    }

    @GET
    @Path("search")
    @Operation(operationId = "searchUnits", summary = "Units you may see whose serial starts with a prefix (any "
            + "manufacturer), in (serial, manufacturer) order compared byte by byte, with cursor pagination")
    public Views.Page<Views.UnitView> search(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(description = "the serial's first characters (1 to 64, as in a serial), case-sensitive",
                    required = true) @QueryParam("serial") String serial,
            @Parameter(description = "the previous page's next") @QueryParam("after") String after,
            @QueryParam("limit") String limit) {
        Caller caller = auth.caller(authorization).require(Caller.READ);
        if (serial == null || !UnitKey.SERIAL.matcher(serial).matches()) {
            throw Paging.invalidParameter("serial", "serial must be the beginning of a serial: 1 to 64 of "
                    + "A-Z a-z 0-9 . _ -");
        }
        UnitKey cursor = Paging.unitCursor(after);
        int n = Paging.limit(limit, 100, MAX_PAGE);
        List<CustodyQueries.UnitRecord> rows = units.search(caller.visibility(), serial, true, cursor, n + 1);
        String next = rows.size() > n ? Paging.unitCursor(rows.get(n - 1).key()) : null;
        return new Views.Page<>(items(rows, n), next);
    }

    /** Most units in one lookup. */
    public static final int MAX_LOOKUP = 1000;

    /** The answer to a lookup: the units found, and those not found (absent, or not yours to see), in request order. */
    @JsonPropertyOrder({"units", "notFound"})
    public record Lookup(List<Views.UnitView> units, List<Views.UnitRef> notFound) {
    }

    @POST
    @Path("lookup")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "lookupUnits", summary = "Up to 1,000 units by reference in one request; a unit that "
            + "does not exist and one you may not see are both reported not found. Writes nothing.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = Views.UnitRef.class, minItems = 1,
                    maxItems = MAX_LOOKUP)))
    @APIResponse(responseCode = "200", description = "The units found and the references not found",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Lookup.class)))
    public Lookup lookup(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        Caller caller = auth.caller(authorization).require(Caller.READ);
        List<UnitKey> asked = lookupBody(body);
        List<UnitKey> wellFormed = asked.stream().filter(k -> EnvelopeParser.SLUG.matcher(k.manufacturer()).matches()
                && UnitKey.SERIAL.matcher(k.serial()).matches()).toList();
        Map<UnitKey, CustodyQueries.UnitRecord> found = new HashMap<>();
        for (CustodyQueries.UnitRecord u : units.lookup(caller.visibility(), wellFormed)) {
            found.put(u.key(), u);
        }
        List<Views.UnitView> seen = new ArrayList<>();
        List<Views.UnitRef> notFound = new ArrayList<>();
        for (UnitKey k : asked) {
            CustodyQueries.UnitRecord u = found.get(k);
            if (u != null) {
                seen.add(Views.UnitView.from(u, null, null));
            } else {
                notFound.add(Views.UnitRef.from(k));
            }
        }
        return new Lookup(seen, notFound);
    }

    /**
     * The references of a lookup body, each once, in order: a JSON array of 1 to {@value #MAX_LOOKUP} objects with
     * exactly the text members {@code manufacturer} and {@code serial}, holding no control characters.
     */
    private static List<UnitKey> lookupBody(byte[] body) {
        Object json;
        try {
            json = StrictJson.parse(body);
        } catch (JsonFormatException e) {
            throw new LedgerException(LedgerException.Kind.MALFORMED, "invalid-json", "Invalid JSON",
                    "The body is not valid JSON: " + e.getMessage());
        }
        if (!(json instanceof List<?> items)) {
            throw invalidLookup("The body must be a JSON array of {\"manufacturer\", \"serial\"} objects");
        }
        if (items.isEmpty() || items.size() > MAX_LOOKUP) {
            throw new LedgerException(LedgerException.Kind.MALFORMED, "lookup-size", "Lookup size out of range",
                    "A lookup asks for 1 to " + MAX_LOOKUP + " units, not " + items.size());
        }
        java.util.LinkedHashSet<UnitKey> keys = new java.util.LinkedHashSet<>();
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof Map<?, ?> item) || item.size() != 2
                    || !(item.get("manufacturer") instanceof String m) || !(item.get("serial") instanceof String s)) {
                throw invalidLookup("Item " + i + " must be an object with exactly the text members manufacturer "
                        + "and serial");
            }
            keys.add(new UnitKey(SafeText.singleLine("[" + i + "].manufacturer", m),
                    SafeText.singleLine("[" + i + "].serial", s)));
        }
        return List.copyOf(keys);
    }

    private static LedgerException invalidLookup(String detail) {
        return new LedgerException(LedgerException.Kind.MALFORMED, "invalid-lookup", "Invalid lookup", detail);
    }

    @GET
    @Path("{manufacturer}/{serial}")
    @Operation(operationId = "getUnit", summary = "A unit's current state: custodian, site, status, assembly, pending transfer")
    public Views.UnitView get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                              @PathParam("manufacturer") String manufacturer, @PathParam("serial") String serial) {
        Caller caller = auth.caller(authorization).require(Caller.READ);
        return view(units.detail(caller.visibility(), key(manufacturer, serial))
                .orElseThrow(() -> notFound(manufacturer, serial)));
    }

    @GET
    @Path("{manufacturer}/{serial}/history")
    @Operation(operationId = "getUnitHistory", summary = "Every entry about the unit (including moves inside its parent), in log order")
    public List<Views.EntryView> history(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                         @PathParam("manufacturer") String manufacturer,
                                         @PathParam("serial") String serial) {
        Caller caller = auth.caller(authorization).require(Caller.READ);
        return units.history(caller.visibility(), key(manufacturer, serial))
                .orElseThrow(() -> notFound(manufacturer, serial)).stream().map(Views.EntryView::from).toList();
    }

    /** Everything needed to check a unit's record offline: see docs/api.md, "Offline bundle". */
    @JsonPropertyOrder({"unit", "checkpoint", "logKey", "entries", "keys"})
    public record Bundle(Views.UnitView unit, String checkpoint, String logKey, List<BundleEntry> entries,
                         List<Views.KeyView> keys) {
    }

    /** One entry of a bundle: the exact leaf bytes (base64), its hash, and its inclusion proof. */
    @JsonPropertyOrder({"index", "leaf", "leafHash", "inclusionProof"})
    public record BundleEntry(long index, String leaf, String leafHash, List<String> inclusionProof) {
    }

    @GET
    @Path("{manufacturer}/{serial}/bundle")
    @Operation(operationId = "getUnitBundle", summary = "Offline bundle: the unit's entries as leaf bytes, each with an inclusion proof against one "
            + "checkpoint, that checkpoint, the log's key and the signing keys involved")
    public Bundle bundle(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                         @PathParam("manufacturer") String manufacturer, @PathParam("serial") String serial) {
        Caller caller = auth.caller(authorization).require(Caller.READ);
        return bundle(caller.visibility(), key(manufacturer, serial)).orElseThrow(() -> notFound(manufacturer, serial));
    }

    @Inject
    CosignedCheckpoints cosigned;

    /**
     * The bundle as JSON records (also what the web UI's download serves). Its checkpoint carries the witnesses'
     * cosignature lines when the newest checkpoint that meets the witness policy covers all the unit's entries.
     */
    public Optional<Bundle> bundle(Visibility v, UnitKey k) {
        return units.bundle(v, k, cosigned.newest()).map(d -> {
            UnitBundles.Bundle b = d.bundle();
            List<BundleEntry> entries = b.entries().stream().map(e -> new BundleEntry(e.index(),
                    Base64.getEncoder().encodeToString(e.leaf()), HexFormat.of().formatHex(e.leafHash()),
                    e.inclusionProof().stream().map(HexFormat.of()::formatHex).toList())).toList();
            return new Bundle(view(d.unit()), b.checkpoint(), signer.vkey(), entries,
                    b.keys().stream().map(Views.KeyView::from).toList());
        });
    }
}
