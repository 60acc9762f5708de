package org.fabtrail.web.pages.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.fabtrail.ledger.CheckpointSigner;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.LedgerStore;
import org.fabtrail.ledger.checkpoint.Checkpoint;
import org.fabtrail.ledger.checkpoint.NoteFormatException;
import org.fabtrail.ledger.checkpoint.NoteVerificationException;
import org.fabtrail.ledger.checkpoint.NoteVerifier;
import org.fabtrail.ledger.checkpoint.Notes;
import org.fabtrail.ledger.checkpoint.VerifiedNote;
import org.fabtrail.ledger.merkle.Merkle;
import org.fabtrail.ledger.merkle.ProofException;
import org.fabtrail.ledger.merkle.Proofs;
import org.fabtrail.web.EntryLine;
import org.fabtrail.web.ErrorPage;
import org.fabtrail.web.LedgerMessages;
import org.fabtrail.web.Pages;
import org.fabtrail.web.SignedIn;
import org.fabtrail.web.Texts;
import org.fabtrail.web.Viewer;
import org.fabtrail.web.WebPage;
import org.fabtrail.web.pages.orgs.OrgPage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The ledger explorer: the latest signed checkpoint and the log's key, the entries the viewer may see (newest first),
 * one entry with its leaf and inclusion proof, and verification done here with the production verifiers
 * ({@link Proofs}, {@link Notes}): an inclusion proof against a signed checkpoint, and a consistency proof between
 * two tree sizes. The forms take the claim to check (index, tree size, proof hashes), so a changed claim visibly
 * fails.
 */
@SignedIn
@Path("/explorer")
@Produces(MediaType.TEXT_HTML)
public class ExplorerPage extends WebPage {

    public static final int PAGE = 50;
    private static final Pattern HEX_HASH = Pattern.compile("[0-9a-fA-F]{64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A signed checkpoint as shown; {@code signedBy} is the verifier's key name and hash when the signature checks. */
    public record CheckpointView(String note, long size, String rootHex, Instant createdAt, String signedBy) {
    }

    /** One thing the verifier checked, and how it came out. */
    public record Check(String what, boolean ok, String detail) {
    }

    /** A verification: every check, in order; it succeeds when all do. */
    public record Verification(String claim, List<Check> checks) {
        public boolean ok() {
            return !checks.isEmpty() && checks.stream().allMatch(Check::ok);
        }
    }

    public record ExplorerModel(CheckpointView checkpoint, String vkey, List<EntryLine> entries, String next,
                                String first, long defaultFrom, long defaultTo) {
    }

    /**
     * One entry. The {@code form*} members are the claim the verify form holds: by default the entry's own index, the
     * latest checkpoint's size and the proof the log gives for them.
     */
    public record EntryModel(EntryLine line, String envelopeJson, String leafText, int leafBytes,
                             CheckpointView checkpoint, List<String> proof, long formIndex, long formSize,
                             String formProof, Verification verification) {
    }

    public record ConsistencyModel(CheckpointView latest, long from, long to, String formProof,
                                   Verification verification) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance explorer(Viewer viewer, ExplorerModel m);

        static native TemplateInstance entry(Viewer viewer, EntryModel m);

        static native TemplateInstance consistency(Viewer viewer, ConsistencyModel m);
    }

    @Inject
    CheckpointSigner signer;

    @GET
    public Response explorer(@QueryParam("before") String before) {
        Viewer v = viewer.get();
        long cursor = OrgPage.parseIndex(before);
        CheckpointView cp = latest();
        List<EntryLine> lines = Pages.lines(pages.log.below(v.visibility(), cursor < 0 ? null : cursor, PAGE + 1));
        lines.sort((a, b) -> Long.compare(b.index(), a.index()));
        String next = lines.size() > PAGE ? "/explorer?before=" + lines.get(PAGE - 1).index() : null;
        long size = cp == null ? 0 : cp.size();
        return Response.ok(Templates.explorer(v, new ExplorerModel(cp, signer.vkey(),
                lines.subList(0, Math.min(PAGE, lines.size())), next, cursor < 0 ? null : "/explorer",
                Math.max(1, size / 2), Math.max(1, size)))).build();
    }

    @GET
    @Path("entries/{index}")
    public Response entry(@PathParam("index") String index) {
        return entryPage(index, null, null, null, false);
    }

    /** Checks a claim that the entry is in the log: {@code index}, {@code size} and (optionally) the proof hashes. */
    @GET
    @Path("entries/{index}/verify")
    public Response verify(@PathParam("index") String index,
                           @QueryParam("leaf") String claimedIndex, @QueryParam("size") String claimedSize,
                           @QueryParam("proof") String proof) {
        return entryPage(index, claimedIndex, claimedSize, proof, true);
    }

    private Response entryPage(String indexText, String claimedIndex, String claimedSize, String proof,
                               boolean verify) {
        Viewer v = viewer.get();
        long index = OrgPage.parseIndex(indexText);
        Optional<LedgerStore.StoredEntry> stored = index < 0 ? Optional.empty() : pages.log.entry(v.visibility(), index);
        if (stored.isEmpty()) {
            return ErrorPage.notFound(v, Texts.of(LedgerMessages.class).verify_no_entry(indexText));
        }
        LedgerStore.StoredEntry e = stored.get();
        CheckpointView cp = latest();
        if (cp == null || cp.size() <= index) {
            return ErrorPage.notFound(v, "Entry #" + index + " is not covered by a checkpoint yet.");
        }
        List<String> realProof = hex(pages.ledger.inclusion(index, cp.size()).hashes());
        long formIndex = verify ? parseOr(claimedIndex, index) : index;
        long formSize = verify ? parseOr(claimedSize, cp.size()) : cp.size();
        String formProof = verify && proof != null && !proof.isBlank() ? proof.trim() : String.join("\n", realProof);
        Verification verification = verify ? verifyInclusion(e, claimedIndex, claimedSize, proof) : null;
        String leafText = new String(e.leaf(), StandardCharsets.UTF_8);
        EntryModel m = new EntryModel(EntryLine.from(e), envelopeJson(e.leaf()), leafText, e.leaf().length, cp,
                realProof, formIndex, formSize, formProof, verification);
        return Response.ok(Templates.entry(v, m)).build();
    }

    @GET
    @Path("consistency")
    public Response consistency(@QueryParam("from") String from,
                                @QueryParam("to") String to, @QueryParam("proof") String proof) {
        CheckpointView cp = latest();
        long size = cp == null ? 0 : cp.size();
        long m = parseOr(from, Math.max(1, size / 2));
        long n = parseOr(to, size);
        Verification verification = from == null && to == null ? null : verifyConsistency(from, to, proof);
        String formProof = proof != null && !proof.isBlank() ? proof.trim() : "";
        return Response.ok(Templates.consistency(viewer.get(), new ConsistencyModel(cp, m, n, formProof, verification)))
                .build();
    }

    // ---------------------------------------------------------------- verification

    private Verification verifyInclusion(LedgerStore.StoredEntry e, String indexText, String sizeText,
                                         String proofText) {
        LedgerMessages t = Texts.of(LedgerMessages.class);
        List<Check> checks = new ArrayList<>();
        long index = OrgPage.parseIndex(indexText);
        long size = OrgPage.parseIndex(sizeText);
        String claim = t.verify_claim_inclusion(String.valueOf(e.index()), asTyped(index, indexText),
                asTyped(size, sizeText));
        if (index < 0 || size < 0) {
            checks.add(new Check(t.verify_check_claim(), false, t.verify_whole_numbers()));
            return new Verification(claim, checks);
        }
        // 1. the signed checkpoint for that size
        Optional<LedgerStore.StoredCheckpoint> stored = pages.log.checkpointAt(size);
        if (stored.isEmpty()) {
            checks.add(new Check(t.verify_check_checkpoint(), false, t.verify_no_checkpoint(String.valueOf(size),
                    String.valueOf(pages.ledger.head().size()))));
            return new Verification(claim, checks);
        }
        Optional<Checkpoint> checkpoint = openCheckpoint(stored.get(), checks);
        // 2. the leaf hash, from the leaf bytes as stored
        byte[] leafHash = Merkle.leafHash(e.leaf());
        boolean leafOk = MessageDigest.isEqual(leafHash, e.leafHash());
        checks.add(new Check(t.verify_check_leaf_hash(), leafOk, t.verify_leaf(String.valueOf(e.leaf().length),
                hex(leafHash), leafOk, hex(e.leafHash()))));
        // 3. the inclusion proof: given, or the log's for the claimed index and size
        List<byte[]> proof = proof(proofText, checks, () -> pages.ledger.inclusion(index, size).hashes());
        if (checkpoint.isEmpty() || proof == null) {
            return new Verification(claim, checks);
        }
        byte[] root = checkpoint.get().rootHash();
        try {
            Proofs.verifyInclusion(index, size, leafHash, proof, root);
            checks.add(new Check(t.verify_check_inclusion(), true, t.verify_included(String.valueOf(proof.size()),
                    String.valueOf(index), hex(root), String.valueOf(size))));
        } catch (ProofException x) {
            checks.add(new Check(t.verify_check_inclusion(), false, t.verify_not_included(String.valueOf(proof.size()),
                    String.valueOf(index), hex(root), String.valueOf(size), x.getMessage())));
        }
        return new Verification(claim, checks);
    }

    private Verification verifyConsistency(String fromText, String toText, String proofText) {
        LedgerMessages t = Texts.of(LedgerMessages.class);
        List<Check> checks = new ArrayList<>();
        long m = OrgPage.parseIndex(fromText);
        long n = OrgPage.parseIndex(toText);
        String claim = t.verify_claim_consistency(asTyped(m, fromText), asTyped(n, toText));
        if (m < 0 || n < 0) {
            checks.add(new Check(t.verify_check_claim(), false, t.verify_sizes_whole()));
            return new Verification(claim, checks);
        }
        long treeSize = pages.ledger.head().size();
        if (m < 1 || n < m || n > treeSize) {
            checks.add(new Check(t.verify_check_sizes(), false, t.verify_sizes(String.valueOf(treeSize))));
            return new Verification(claim, checks);
        }
        byte[] root1 = root(m, checks);
        byte[] root2 = root(n, checks);
        List<byte[]> proof = proof(proofText, checks, () -> pages.ledger.consistency(m, n).hashes());
        if (proof == null) {
            return new Verification(claim, checks);
        }
        try {
            Proofs.verifyConsistency(m, n, root1, root2, proof);
            checks.add(new Check(t.verify_check_consistency(), true, t.verify_consistent(String.valueOf(proof.size()),
                    String.valueOf(m), hex(root1), String.valueOf(n), hex(root2))));
        } catch (ProofException x) {
            checks.add(new Check(t.verify_check_consistency(), false, t.verify_not_consistent(
                    String.valueOf(proof.size()), String.valueOf(m), hex(root1), String.valueOf(n), hex(root2),
                    x.getMessage())));
        }
        return new Verification(claim, checks);
    }

    /** A number as the claim names it: the number, or the text typed in quotes when it is not one. */
    private static String asTyped(long number, String typed) {
        return number < 0 ? "“" + typed + "”" : String.valueOf(number);
    }

    /** The root of the tree of a size: from its signed checkpoint (checked), or recomputed when none was published. */
    private byte[] root(long size, List<Check> checks) {
        Optional<LedgerStore.StoredCheckpoint> stored = pages.log.checkpointAt(size);
        if (stored.isPresent()) {
            Optional<Checkpoint> cp = openCheckpoint(stored.get(), checks);
            if (cp.isPresent()) {
                return cp.get().rootHash();
            }
        }
        byte[] root = pages.log.root(size);
        LedgerMessages t = Texts.of(LedgerMessages.class);
        checks.add(new Check(t.verify_check_root(String.valueOf(size)), true,
                t.verify_recomputed(String.valueOf(size), hex(root))));
        return root;
    }

    /** Verifies the checkpoint's signature with the log's key and parses it; records both checks. */
    private Optional<Checkpoint> openCheckpoint(LedgerStore.StoredCheckpoint stored, List<Check> checks) {
        LedgerMessages t = Texts.of(LedgerMessages.class);
        NoteVerifier key = signer.verifier();
        String keyName = key.name() + "+" + String.format("%08x", key.keyHash());
        try {
            VerifiedNote note = Notes.open(stored.note().getBytes(StandardCharsets.UTF_8), List.of(key));
            Checkpoint cp = Checkpoint.parse(note.text(), signer.origin());
            boolean matches = cp.size() == stored.treeSize() && MessageDigest.isEqual(cp.rootHash(), stored.rootHash());
            checks.add(new Check(t.verify_check_checkpoint_of(String.valueOf(cp.size())), matches,
                    t.verify_signed(keyName, cp.origin(), String.valueOf(cp.size()), hex(cp.rootHash()), matches)));
            return matches ? Optional.of(cp) : Optional.empty();
        } catch (NoteVerificationException | NoteFormatException x) {
            checks.add(new Check(t.verify_check_checkpoint_of(String.valueOf(stored.treeSize())), false,
                    t.verify_not_signed(keyName, x.getMessage())));
            return Optional.empty();
        }
    }

    private interface ProofSource {
        List<byte[]> get();
    }

    /** The proof hashes the form gave (hex, one per line), or the log's own; null (with a failed check) if unusable. */
    private static List<byte[]> proof(String text, List<Check> checks, ProofSource log) {
        if (text == null || text.isBlank()) {
            try {
                return log.get();
            } catch (LedgerException x) {
                checks.add(new Check(Texts.of(LedgerMessages.class).verify_check_proof(), false,
                        Texts.of(LedgerMessages.class).verify_no_proof(x.detail())));
                return null;
            }
        }
        List<byte[]> out = new ArrayList<>();
        String[] parts = text.trim().split("[\\s,]+");
        for (int i = 0; i < parts.length; i++) {
            if (!HEX_HASH.matcher(parts[i]).matches()) {
                checks.add(new Check(Texts.of(LedgerMessages.class).verify_check_proof(), false,
                        Texts.of(LedgerMessages.class).verify_bad_proof_hash(i + 1)));
                return null;
            }
            out.add(HexFormat.of().parseHex(parts[i].toLowerCase()));
        }
        return out;
    }

    // ---------------------------------------------------------------- helpers

    private CheckpointView latest() {
        Optional<LedgerStore.StoredCheckpoint> stored = pages.ledger.latestCheckpoint();
        if (stored.isEmpty()) {
            return null;
        }
        LedgerStore.StoredCheckpoint s = stored.get();
        List<Check> checks = new ArrayList<>();
        Optional<Checkpoint> cp = openCheckpoint(s, checks);
        NoteVerifier key = signer.verifier();
        return new CheckpointView(s.note(), s.treeSize(), hex(s.rootHash()), s.createdAt(),
                cp.isPresent() ? key.name() + "+" + String.format("%08x", key.keyHash()) : null);
    }

    private static String envelopeJson(byte[] leaf) {
        try {
            JsonNode envelope = JSON.readTree(leaf).get("envelope");
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(envelope);
        } catch (IOException x) {
            return new String(leaf, StandardCharsets.UTF_8);
        }
    }

    private static long parseOr(String s, long fallback) {
        long v = OrgPage.parseIndex(s);
        return v < 0 ? fallback : v;
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(ExplorerPage::hex).toList();
    }
}
