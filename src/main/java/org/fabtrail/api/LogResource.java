package org.fabtrail.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.fabtrail.ledger.CheckpointSigner;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.CosignedCheckpoints;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.server.CosignatureCollector;
import org.fabtrail.server.FabtrailConfig;
import io.smallrye.common.annotation.Blocking;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The public face of the log: its key, its checkpoints (the newest the witness policy accepts, the newest signed, and
 * a wait for a cosigned one of a given size), its witnesses, proofs, and C2SP tlog-tiles hash tiles under the prefix
 * {@code /api/v1/log}. Entry contents are not public, so entry bundles are not served here.
 */
@Path("/api/v1/log")
@Tag(name = "Log")
public class LogResource {

    @Inject
    Ledger ledger;
    @Inject
    CheckpointSigner signer;

    @Inject
    CosignedCheckpoints cosigned;
    @Inject
    CosignatureCollector witnesses;
    @Inject
    FabtrailConfig config;

    @GET
    @Path("checkpoint")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(operationId = "getCheckpoint", summary = "The newest checkpoint that meets the log's witness policy, with its witnesses' "
            + "cosignature lines (C2SP tlog-checkpoint in a signed note; without witnesses, the latest checkpoint)")
    @APIResponse(responseCode = "200", description = "The checkpoint: the log's signature line first, then one "
            + "cosignature/v1 line per witness that cosigned it", content = @Content(mediaType = MediaType.TEXT_PLAIN))
    @APIResponse(responseCode = "404", description = "no-cosigned-checkpoint: no checkpoint meets the witness policy "
            + "yet (see /api/v1/log/checkpoint/latest)", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response checkpoint() {
        if (!cosigned.policy().witnessed() || cosigned.policy().required() == 0) {
            return latest();
        }
        var cp = cosigned.newest().orElseThrow(() -> new LedgerException(LedgerException.Kind.NOT_FOUND,
                "no-cosigned-checkpoint", "No cosigned checkpoint yet", "No checkpoint of this log has the "
                + cosigned.policy().required() + " witness cosignatures its policy requires yet; the newest "
                + "checkpoint the log signed is at /api/v1/log/checkpoint/latest"));
        return text(cp.note());
    }

    @GET
    @Path("checkpoint/latest")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(operationId = "getLatestCheckpoint", summary = "The newest checkpoint the log signed, before any witness cosigned it (what write receipts "
            + "carry)")
    @APIResponse(responseCode = "200", description = "The checkpoint, signed by the log alone",
            content = @Content(mediaType = MediaType.TEXT_PLAIN))
    public Response latest() {
        var cp = ledger.latestCheckpoint().orElseThrow(() -> new LedgerException(LedgerException.Kind.NOT_FOUND,
                "no-checkpoint", "No checkpoint yet", "The log has not published a checkpoint yet"));
        return text(cp.note());
    }

    @GET
    @Path("checkpoint/cosigned")
    @Produces(MediaType.TEXT_PLAIN)
    @Blocking
    @Operation(operationId = "waitForCosignedCheckpoint", summary = "Waits (up to wait seconds) for a checkpoint of at least the given tree size that meets "
            + "the witness policy, and answers it with its cosignature lines")
    @APIResponse(responseCode = "200", description = "A checkpoint of at least that tree size with the cosignatures "
            + "the policy requires", content = @Content(mediaType = MediaType.TEXT_PLAIN))
    @APIResponse(responseCode = "400", description = "missing-parameter, invalid-parameter, or out-of-range (size "
            + "outside 1 to the tree size, wait above the maximum)", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "503", description = "cosignature-pending: none yet after waiting (Retry-After), or "
            + "ledger-busy: too many waiting requests", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public CompletionStage<Response> cosigned(
            @Parameter(description = "the tree size to cover: a receipt's inclusionProof.treeSize", required = true)
            @QueryParam("size") String size,
            @Parameter(description = "seconds to wait, at most fabtrail.witnessing.max-wait (30 by default); "
                    + "default 10") @QueryParam("wait") String wait) {
        long n = number("size", size);
        long maxWait = config.witnessing().maxWait().toSeconds();
        long seconds = wait == null || wait.isEmpty() ? Math.min(10, maxWait) : number("wait", wait);
        if (seconds > maxWait) {
            throw new LedgerException(LedgerException.Kind.MALFORMED, "out-of-range", "Out of range",
                    "wait is at most " + maxWait + " seconds, not " + seconds, Map.of("parameter", "wait"), null);
        }
        long head = ledger.head().size();
        if (n < 1 || n > head) {
            throw new LedgerException(LedgerException.Kind.MALFORMED, "out-of-range", "Out of range",
                    "size must be between 1 and the tree size " + head + ", not " + n, Map.of("parameter", "size"),
                    null);
        }
        if (!cosigned.policy().witnessed() || cosigned.policy().required() == 0) {
            return CompletableFuture.completedFuture(latest());
        }
        return cosigned.await(n, Duration.ofSeconds(seconds)).handle((cp, e) -> {
            if (e == null) {
                return text(cp.note());
            }
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            if (cause instanceof LedgerException le) {
                return ProblemMappers.response(le);
            }
            return ProblemMappers.response(new LedgerException(LedgerException.Kind.UNAVAILABLE,
                    "cosignature-pending", "Cosignature pending", "No checkpoint of tree size " + n + " or more has "
                    + "the " + cosigned.policy().required() + " witness cosignatures the policy requires yet "
                    + "(waited " + seconds + " s); retry", Map.of("retryAfter", 1), null));
        });
    }

    /** The witnesses of this log: their keys, the policy, and the tree size each holds as far as this instance knows. */
    @GET
    @Path("witnesses")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listWitnesses", summary = "The log's witnesses (name, vkey, the tree size each cosigned last) and how many must cosign")
    public WitnessesView witnessList() {
        Map<String, Long> sizes = witnesses.witnessSizes();
        java.util.List<WitnessView> list = new java.util.ArrayList<>();
        java.util.List<String> names = witnesses.names();
        for (int i = 0; i < names.size(); i++) {
            list.add(new WitnessView(names.get(i), cosigned.policy().witnesses().get(i).vkey(),
                    sizes.getOrDefault(names.get(i), 0L)));
        }
        return new WitnessesView(cosigned.policy().required(), list);
    }

    /** The log's witness policy. */
    @com.fasterxml.jackson.annotation.JsonPropertyOrder({"required", "witnesses"})
    public record WitnessesView(int required, java.util.List<WitnessView> witnesses) {
    }

    /**
     * One witness: its name, its cosignature key, and the tree size it holds as far as this instance knows (0 until it
     * has heard it name one).
     */
    @com.fasterxml.jackson.annotation.JsonPropertyOrder({"name", "vkey", "treeSize"})
    public record WitnessView(String name, String vkey, long treeSize) {
    }

    private static Response text(String note) {
        CacheControl cc = new CacheControl();
        cc.setNoCache(true);
        return Response.ok(note, MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8")).cacheControl(cc).build();
    }

    @GET
    @Path("key")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(operationId = "getLogKey", summary = "The log's verifier key in C2SP vkey form")
    public Response key() {
        return Response.ok(signer.vkey() + "\n", MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8")).build();
    }

    @GET
    @Path("proof/inclusion")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getInclusionProof", summary = "RFC 9162 inclusion proof of leaf index in the tree of the given size")
    public InclusionProofView inclusion(@QueryParam("index") String index, @QueryParam("size") String size) {
        return InclusionProofView.from(ledger.inclusion(number("index", index), number("size", size)));
    }

    @GET
    @Path("proof/consistency")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getConsistencyProof", summary = "RFC 9162 consistency proof between two tree sizes")
    public ConsistencyProofView consistency(@QueryParam("from") String from, @QueryParam("to") String to) {
        return ConsistencyProofView.from(ledger.consistency(number("from", from), number("to", to)));
    }

    @GET
    @Path("tile/{level}/{index: .+}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(operationId = "getTile", summary = "A C2SP tlog-tiles hash tile, e.g. tile/0/x001/234 or tile/1/000.p/17")
    @APIResponse(responseCode = "200", description = "The tile's hashes, 32 bytes each; cached for a year (immutable), "
            + "with a strong ETag", content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM))
    @APIResponse(responseCode = "304", description = "If-None-Match named the tile's ETag: the cached copy is current")
    public Response tile(@PathParam("level") String level, @PathParam("index") String path,
                         @Context Request request) {
        TilePath t = TilePath.parse(level, path);
        byte[] tile = ledger.hashTile(t.level(), t.index(), t.width()).orElseThrow(() -> new LedgerException(
                LedgerException.Kind.NOT_FOUND, "no-such-tile", "No such tile",
                "The tree does not hold tile " + level + "/" + path + " (yet)"));
        // A tile's bytes never change once the tree holds them (a partial tile of width W is the first W hashes
        // forever): cached for a year, with a strong validator from its content.
        EntityTag tag = new EntityTag(contentTag(tile));
        Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
        Response.ResponseBuilder answer = notModified != null ? notModified
                : Response.ok(tile, MediaType.APPLICATION_OCTET_STREAM_TYPE);
        return answer.tag(tag).header("Cache-Control", "public, max-age=31536000, immutable").build();
    }

    /** A strong entity tag for immutable bytes: the first 16 bytes of their SHA-256, in hex. */
    private static String contentTag(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
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
