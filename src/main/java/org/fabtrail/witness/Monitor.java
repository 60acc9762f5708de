package org.fabtrail.witness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.fabtrail.ledger.checkpoint.Checkpoint;
import org.fabtrail.ledger.checkpoint.Note;
import org.fabtrail.ledger.checkpoint.NoteFormatException;
import org.fabtrail.ledger.checkpoint.NoteVerificationException;
import org.fabtrail.ledger.checkpoint.NoteVerifier;
import org.fabtrail.ledger.checkpoint.WitnessPolicy;
import org.fabtrail.ledger.merkle.AppendResult;
import org.fabtrail.ledger.merkle.Merkle;
import org.fabtrail.ledger.merkle.ProofException;
import org.fabtrail.ledger.merkle.Proofs;
import org.fabtrail.ledger.merkle.StoredNode;
import org.fabtrail.ledger.merkle.TreeAppender;

/**
 * What an auditor runs against a Fabtrail log (or any log that serves C2SP checkpoints and tlog-tiles hash tiles
 * under one prefix): it follows the log's public checkpoint and checks that the log only ever grows.
 *
 * <p>Each {@link #poll()} fetches {@code <log>/checkpoint} and checks:
 * <ol>
 *   <li>it is signed by the pinned log key, and cosigned as the witness policy requires;</li>
 *   <li>it is not smaller than the last checkpoint seen (a rollback), and of the same root when of the same size
 *       (a split view);</li>
 *   <li>the log's consistency proof from the last checkpoint seen verifies ({@code <log>/proof/consistency});</li>
 *   <li>the tree rebuilt from the hash tiles ({@code <log>/tile/0/...}: the leaf hashes) has exactly the checkpoint's
 *       root, continuing from the last checkpoint's compact range, so the new tree extends the old one;</li>
 *   <li>every hash of a higher tile level that the new leaves complete ({@code <log>/tile/1/...}, ...) is the hash of
 *       the 256 hashes below it.</li>
 * </ol>
 * The first failed check is an {@link Inconsistency} (with both checkpoints as evidence); failures to reach the log
 * are {@link IOException}s, for the caller to retry. The state (size, root, compact range, the last checkpoint) can be
 * kept in a file so that a restarted monitor continues where it stopped and still notices a rollback.
 *
 * <p>Entries themselves are not public in Fabtrail (they hold custody data), so the monitor checks the tree of leaf
 * hashes, not what the leaves say; {@code verify} checks that, with database access.
 */
public final class Monitor {

    /** A check failed: the log is not append-only, or not what its key and witnesses signed. */
    public static final class Inconsistency extends Exception {
        private static final long serialVersionUID = 1L;
        private final String evidence;

        Inconsistency(String message, String evidence) {
            super(message);
            this.evidence = evidence;
        }

        /** @return the checkpoints involved (signed notes), for the record */
        public String evidence() {
            return evidence;
        }
    }

    /**
     * What was verified in one poll.
     *
     * @param previousSize the size verified before
     * @param checkpoint   the checkpoint now verified
     * @param cosigners    the witnesses of the policy that cosigned it
     * @param tilesFetched hash tiles downloaded for this poll
     */
    public record Verified(long previousSize, Checkpoint checkpoint, List<String> cosigners, int tilesFetched) {
    }

    private static final int TILE = 256;
    private final URI log;
    private final NoteVerifier logKey;
    private final String origin;
    private final WitnessPolicy policy;
    private final HttpClient http;
    private final Duration timeout;
    private final Optional<Path> stateFile;

    private long size;
    private byte[] root;
    private List<byte[]> border = List.of();
    private String lastNote;

    /**
     * @param log       the log's URL prefix, e.g. {@code https://fabtrail.example.org/api/v1/log}
     * @param logKey    the pinned log key
     * @param origin    the log's origin (normally the key's name)
     * @param policy    the witness policy checkpoints must meet
     * @param stateFile where to keep the state between runs, if anywhere
     */
    public Monitor(URI log, NoteVerifier logKey, String origin, WitnessPolicy policy, Optional<Path> stateFile,
                   HttpClient http) throws IOException {
        this(log, logKey, origin, policy, stateFile, http, Duration.ofSeconds(30));
    }

    /**
     * @param timeout how long one answer of the log may take, body included
     */
    public Monitor(URI log, NoteVerifier logKey, String origin, WitnessPolicy policy, Optional<Path> stateFile,
                   HttpClient http, Duration timeout) throws IOException {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        String base = log.toString();
        this.log = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.logKey = Objects.requireNonNull(logKey, "logKey");
        if (logKey.isCosigner()) {
            throw new IllegalArgumentException("the log key " + logKey.vkey() + " is a witness's cosignature key");
        }
        this.origin = origin;
        this.policy = policy;
        this.stateFile = stateFile;
        this.http = http;
        this.root = Merkle.emptyRoot();
        if (stateFile.isPresent() && Files.exists(stateFile.get())) {
            load(stateFile.get());
        }
    }

    /** @return the size of the last verified checkpoint (0 before the first) */
    public long size() {
        return size;
    }

    /**
     * Fetches the log's checkpoint and checks it against what was seen before.
     *
     * @return what was verified
     * @throws Inconsistency when a check fails
     * @throws IOException   when the log cannot be reached or answers with an error
     */
    public Verified poll() throws Inconsistency, IOException, InterruptedException {
        byte[] noteBytes = get("/checkpoint");
        String note = new String(noteBytes, StandardCharsets.UTF_8);
        WitnessPolicy.Verdict verdict = verdict(noteBytes, note);
        Checkpoint cp = verdict.checkpoint();
        long before = size;
        if (cp.size() < size) {
            throw new Inconsistency("ROLLBACK: the log's checkpoint has tree size " + cp.size() + ", smaller than the "
                    + "checkpoint of tree size " + size + " it showed before", evidence(note));
        }
        if (cp.size() == size) {
            if (!Arrays.equals(cp.rootHash(), root)) {
                throw new Inconsistency("SPLIT VIEW: the log signed two checkpoints of tree size " + size
                        + " with different roots", evidence(note));
            }
            lastNote = note;
            return new Verified(before, cp, verdict.cosignerNames(), 0);
        }
        if (size > 0) {
            List<byte[]> proof = consistencyProof(size, cp.size());
            try {
                Proofs.verifyConsistency(size, cp.size(), root, cp.rootHash(), proof);
            } catch (ProofException e) {
                throw new Inconsistency("the log's consistency proof from tree size " + size + " to " + cp.size()
                        + " does not verify: " + e.getMessage(), evidence(note));
            }
        }
        Tiles tiles = new Tiles(cp.size());
        TreeAppender tree = new TreeAppender(size, border);
        long at = size;
        while (at < cp.size()) {
            long tileIndex = at / TILE;
            byte[] tile = tiles.get(0, tileIndex);
            int from = (int) (at - tileIndex * TILE);
            List<byte[]> leaves = new ArrayList<>();
            for (int k = from; k < tile.length / 32; k++) {
                leaves.add(Arrays.copyOfRange(tile, 32 * k, 32 * k + 32));
            }
            AppendResult r = tree.append(leaves);
            checkUpperTiles(tiles, r.newNodes(), note);
            tree = r.next();
            at = tree.size();
        }
        if (!Arrays.equals(tree.root(), cp.rootHash())) {
            throw new Inconsistency("the level-0 hash tiles (" + TilePaths.path(0, size / TILE, 0) + " to "
                    + TilePaths.path(0, (cp.size() - 1) / TILE, 0) + ") do not rebuild the root of the checkpoint of "
                    + "tree size " + cp.size() + (size > 0 ? " from the checkpoint of tree size " + size : "")
                    + ": a tile was tampered with, or the log is not what it signed", evidence(note));
        }
        size = cp.size();
        root = cp.rootHash();
        border = tree.border();
        lastNote = note;
        save();
        return new Verified(before, cp, verdict.cosignerNames(), tiles.fetched);
    }

    /** The log's checkpoint, verified with the pinned log key and, when the policy has witnesses, their cosignatures. */
    private WitnessPolicy.Verdict verdict(byte[] noteBytes, String note) throws Inconsistency {
        WitnessPolicy.Verdict verdict;
        try {
            verdict = policy.check(noteBytes, origin, List.of(logKey));
        } catch (NoteFormatException | NoteVerificationException e) {
            throw new Inconsistency("the log's checkpoint does not verify with the pinned log key"
                    + (policy.witnessed() ? " and the witness keys" : "") + ": " + e.getMessage(), note);
        }
        if (!verdict.satisfied()) {
            throw new Inconsistency("the log's checkpoint of tree size " + verdict.checkpoint().size() + " has "
                    + verdict.cosigned().size() + " of the " + policy.required() + " witness cosignatures the policy "
                    + "requires (cosigned by: " + String.join(", ", verdict.cosignerNames()) + ")", note);
        }
        return verdict;
    }

    /** Each new node at a tile boundary must be the hash the tile above holds at its place. */
    private void checkUpperTiles(Tiles tiles, List<StoredNode> nodes, String note)
            throws Inconsistency, IOException, InterruptedException {
        for (StoredNode n : nodes) {
            if (n.id().level() % 8 == 0) {
                int tileLevel = n.id().level() / 8;
                long index = n.id().index();
                byte[] upper = tiles.get(tileLevel, index / TILE);
                int pos = (int) (index % TILE);
                if (!Arrays.equals(Arrays.copyOfRange(upper, 32 * pos, 32 * pos + 32), n.hash())) {
                    throw new Inconsistency("tile " + TilePaths.path(tileLevel, index / TILE, upper.length / 32)
                            + " holds at position " + pos + " a hash that is not the hash of the "
                            + TILE + " hashes of the tile below it (" + TilePaths.path(tileLevel - 1, index,
                            TILE) + "): a tile was tampered with", evidence(note));
                }
            }
        }
    }

    private String evidence(String newNote) {
        return "--- the last checkpoint verified (tree size " + size + ") ---\n"
                + (lastNote == null ? "(none kept)\n" : lastNote)
                + "--- the checkpoint the log serves now ---\n" + newNote;
    }

    /** The tiles of one poll, fetched once each, at the widths the checkpoint's tree has. */
    private final class Tiles {
        private final long treeSize;
        private final Map<String, byte[]> cache = new HashMap<>();
        int fetched;

        Tiles(long treeSize) {
            this.treeSize = treeSize;
        }

        byte[] get(int level, long index) throws IOException, InterruptedException, Inconsistency {
            long nodes = treeSize >> (8 * level);
            long width = Math.min(TILE, nodes - index * TILE);
            String path = TilePaths.path(level, index, (int) width);
            byte[] tile = cache.get(path);
            if (tile == null) {
                tile = Monitor.this.get("/" + path);
                fetched++;
                if (tile.length != 32 * width) {
                    throw new Inconsistency(path + " has " + tile.length + " bytes, not " + (32 * width), "");
                }
                cache.put(path, tile);
            }
            return tile;
        }
    }

    private List<byte[]> consistencyProof(long from, long to) throws IOException, InterruptedException,
            Inconsistency {
        String json = new String(get("/proof/consistency?from=" + from + "&to=" + to), StandardCharsets.UTF_8);
        int at = json.indexOf("\"hashes\"");
        int open = json.indexOf('[', at);
        int close = json.indexOf(']', open);
        if (at < 0 || open < 0 || close < 0) {
            throw new IOException("the consistency proof answer has no hashes: " + json);
        }
        List<byte[]> out = new ArrayList<>();
        for (String h : json.substring(open + 1, close).split(",")) {
            String hex = h.strip().replace("\"", "");
            if (!hex.isEmpty()) {
                try {
                    out.add(HexFormat.of().parseHex(hex));
                } catch (IllegalArgumentException e) {
                    throw new Inconsistency("the consistency proof holds a hash that is not hex: " + hex, "");
                }
            }
        }
        return out;
    }

    /** The longest answer the monitor reads: a checkpoint note at most (a tile is 8 KiB, a proof a few). */
    static final int MAX_ANSWER_BYTES = Note.MAX_NOTE_BYTES;

    private byte[] get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(log + path)).timeout(timeout).GET().build();
        // The whole answer within the timeout, and not more than a checkpoint: the log may be what is attacked.
        HttpResponse<byte[]> response = BoundedBody.send(http, request, MAX_ANSWER_BYTES, timeout);
        if (response.statusCode() != 200) {
            throw new IOException("GET " + log + path + " answered " + response.statusCode());
        }
        return response.body();
    }

    // ------------------------------------------------------------------ state file

    private void save() throws IOException {
        if (stateFile.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("fabtrail-monitor 1\n").append(size).append('\n')
                .append(Base64.getEncoder().encodeToString(root)).append('\n');
        for (byte[] b : border) {
            sb.append(Base64.getEncoder().encodeToString(b)).append('\n');
        }
        sb.append('\n').append(lastNote);
        Path f = stateFile.get().toAbsolutePath();
        DurableFiles.write(f.getParent(), f.getFileName().toString(), sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void load(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int split = text.indexOf("\n\n");
        String[] lines = (split < 0 ? text : text.substring(0, split)).split("\n");
        if (split < 0 || lines.length < 3 || !lines[0].equals("fabtrail-monitor 1")) {
            throw new IOException(file + " is not a monitor state file");
        }
        try {
            long s = Long.parseLong(lines[1]);
            byte[] r = Base64.getDecoder().decode(lines[2]);
            List<byte[]> b = new ArrayList<>();
            for (int i = 3; i < lines.length; i++) {
                b.add(Base64.getDecoder().decode(lines[i]));
            }
            TreeAppender t = new TreeAppender(s, b);
            if (!Arrays.equals(t.root(), r)) {
                throw new IOException(file + " is damaged: its compact range does not give its root");
            }
            size = s;
            root = r;
            border = b;
            lastNote = text.substring(split + 2);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is damaged: " + e.getMessage());
        }
    }
}
