package org.fabtrail.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.fabtrail.ledger.CheckpointSigner;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerException;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The public face of the log: its key, its latest checkpoint, proofs, and C2SP tlog-tiles hash tiles under the
 * prefix {@code /api/v1/log}. Entry contents are not public, so entry bundles are not served here.
 */
@Path("/api/v1/log")
@Tag(name = "Log")
public class LogResource {

    private static final Pattern TILE_INDEX = Pattern.compile("((?:x\\d{3}/)*)(\\d{3})(?:\\.p/([1-9]\\d{0,2}))?");
    private static final Pattern LEVEL = Pattern.compile("0|[1-9]\\d?");

    @Inject
    Ledger ledger;
    @Inject
    CheckpointSigner signer;

    @GET
    @Path("checkpoint")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "The latest signed checkpoint (C2SP tlog-checkpoint in a signed note)")
    public Response checkpoint() {
        var cp = ledger.latestCheckpoint().orElseThrow(() -> new LedgerException(LedgerException.Kind.NOT_FOUND,
                "no-checkpoint", "No checkpoint yet", "The log has not published a checkpoint yet"));
        CacheControl cc = new CacheControl();
        cc.setNoCache(true);
        return Response.ok(cp.note(), MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8")).cacheControl(cc).build();
    }

    @GET
    @Path("key")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "The log's verifier key in C2SP vkey form")
    public Response key() {
        return Response.ok(signer.vkey() + "\n", MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8")).build();
    }

    @GET
    @Path("proof/inclusion")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "RFC 9162 inclusion proof of leaf index in the tree of the given size")
    public InclusionProofView inclusion(@QueryParam("index") String index, @QueryParam("size") String size) {
        return InclusionProofView.from(ledger.inclusion(number("index", index), number("size", size)));
    }

    @GET
    @Path("proof/consistency")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "RFC 9162 consistency proof between two tree sizes")
    public ConsistencyProofView consistency(@QueryParam("from") String from, @QueryParam("to") String to) {
        return ConsistencyProofView.from(ledger.consistency(number("from", from), number("to", to)));
    }

    @GET
    @Path("tile/{level}/{index: .+}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "A C2SP tlog-tiles hash tile, e.g. tile/0/x001/234 or tile/1/000.p/17")
    public Response tile(@PathParam("level") String level, @PathParam("index") String path) {
        if ("entries".equals(level)) {
            throw new LedgerException(LedgerException.Kind.NOT_FOUND, "not-public", "Not public",
                    "Entry bundles are not served publicly: entries hold custody data. Hash tiles, checkpoints and "
                            + "proofs are public.");
        }
        Matcher m = TILE_INDEX.matcher(path);
        if (!LEVEL.matcher(level).matches() || Integer.parseInt(level) > 63 || !m.matches()
                || m.group(1).startsWith("x000/")) {
            throw new LedgerException(LedgerException.Kind.NOT_FOUND, "no-such-tile", "No such tile",
                    "Tile paths are tile/<L>/<N>[.p/<W>] with N in 3-digit groups, e.g. tile/0/x001/234.p/17");
        }
        long n = 0;
        try {
            for (String group : (m.group(1) + m.group(2)).split("/")) {
                n = Math.addExact(Math.multiplyExact(n, 1000),
                        Long.parseLong(group.startsWith("x") ? group.substring(1) : group));
            }
        } catch (ArithmeticException e) {
            // more 3-digit groups than a log index has: no tree holds such a tile
            throw new LedgerException(LedgerException.Kind.NOT_FOUND, "no-such-tile", "No such tile",
                    "The tree does not hold tile " + level + "/" + path + ": its index is beyond any tree size");
        }
        int width = Ledger.TILE_WIDTH;
        if (m.group(3) != null) {
            width = Integer.parseInt(m.group(3));
            if (width >= Ledger.TILE_WIDTH) {
                throw new LedgerException(LedgerException.Kind.NOT_FOUND, "no-such-tile", "No such tile",
                        "A partial tile's width is 1 to 255");
            }
        }
        byte[] tile = ledger.hashTile(Integer.parseInt(level), n, width).orElseThrow(() -> new LedgerException(
                LedgerException.Kind.NOT_FOUND, "no-such-tile", "No such tile",
                "The tree does not hold tile " + level + "/" + path + " (yet)"));
        return Response.ok(tile, MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header("Cache-Control", "public, max-age=31536000, immutable").build();
    }

    private static long number(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new LedgerException(LedgerException.Kind.MALFORMED, "missing-parameter", "Missing parameter",
                    "Query parameter " + name + " is required", Map.of("parameter", name), null);
        }
        if (!value.matches("0|[1-9]\\d{0,18}")) {
            throw new LedgerException(LedgerException.Kind.MALFORMED, "invalid-parameter", "Invalid parameter",
                    "Query parameter " + name + " must be a non-negative decimal integer, not \"" + value + "\"",
                    Map.of("parameter", name), null);
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new LedgerException(LedgerException.Kind.MALFORMED, "invalid-parameter", "Invalid parameter",
                    "Query parameter " + name + " is too large", Map.of("parameter", name), null);
        }
    }
}
