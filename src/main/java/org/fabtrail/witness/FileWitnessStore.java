package org.fabtrail.witness;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The witness's data directory:
 * <ul>
 *   <li>{@code logs/<SHA-256 of the origin, hex>.checkpoint}: the latest cosigned checkpoint of each log, the note
 *       verbatim (its first line is the origin);</li>
 *   <li>{@code evidence/<kind>-<UTC time>-<hash>.txt}: evidence of misbehaviour, one file per distinct case (at most
 *       {@value #MAX_EVIDENCE} files, so that replayed requests cannot fill the disk);</li>
 *   <li>{@code lock}: held while a witness runs on the directory, so that two processes never share it (the check
 *       of the old size and the write of the new checkpoint must be atomic).</li>
 * </ul>
 * Every write goes to a temporary file that is fsynced, renamed over the old one, and the directory fsynced.
 */
public final class FileWitnessStore implements WitnessStore, AutoCloseable {

    /** Evidence files kept at most. */
    public static final int MAX_EVIDENCE = 10_000;
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path logs;
    private final Path evidence;
    private final FileChannel lockChannel;
    private final FileLock lock;

    /**
     * Opens (and creates) the data directory and locks it.
     *
     * @throws IOException when it cannot be created, or another witness holds it
     */
    public FileWitnessStore(Path dataDir) throws IOException {
        Path dir = dataDir.toAbsolutePath();
        this.logs = dir.resolve("logs");
        this.evidence = dir.resolve("evidence");
        Files.createDirectories(logs);
        Files.createDirectories(evidence);
        this.lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new IOException("another witness is running on " + dir + " (it holds " + dir.resolve("lock") + ")");
        }
        this.lock = l;
    }

    @Override
    public Map<String, String> load() throws IOException {
        Map<String, String> out = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(logs, "*.checkpoint")) {
            for (Path f : files) {
                String note = Files.readString(f, StandardCharsets.UTF_8);
                int nl = note.indexOf('\n');
                String origin = nl < 0 ? "" : note.substring(0, nl);
                if (!f.getFileName().toString().equals(fileName(origin))) {
                    throw new IOException(f + " does not hold a checkpoint of the log it is named after");
                }
                out.put(origin, note);
            }
        }
        return out;
    }

    @Override
    public void save(String origin, String note) throws IOException {
        DurableFiles.write(logs, fileName(origin), note.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public synchronized String keepEvidence(String kind, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        String hash = sha256(bytes).substring(0, 16);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(evidence, "*-" + hash + ".txt")) {
            for (Path existing : files) {
                return existing.getFileName().toString();
            }
        }
        long count;
        try (var all = Files.list(evidence)) {
            count = all.count();
        }
        if (count >= MAX_EVIDENCE) {
            throw new IOException("the evidence directory " + evidence + " holds " + MAX_EVIDENCE
                    + " files already; move them away");
        }
        String name = kind + "-" + STAMP.format(Instant.now()) + "-" + hash + ".txt";
        DurableFiles.write(evidence, name, bytes);
        return name;
    }

    /** @return where evidence files are kept */
    public Path evidenceDirectory() {
        return evidence;
    }

    static String fileName(String origin) {
        return sha256(origin.getBytes(StandardCharsets.UTF_8)) + ".checkpoint";
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }
}
