package org.fabtrail.server;

import org.fabtrail.ledger.CheckpointKeeper;
import org.fabtrail.ledger.checkpoint.Checkpoint;
import org.fabtrail.ledger.checkpoint.Note;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * {@code <data dir>/latest-checkpoint}: the newest checkpoint this instance has signed, kept outside the database
 * (the signed note text, verbatim). The sequencer hands it every committed checkpoint before answering anyone
 * ({@link CheckpointKeeper}); at start, {@link RollbackGuard} refuses a database that does not extend it.
 *
 * <p>Each write is durable before {@link #keep} returns: the text goes to a temporary file that is fsynced, then
 * atomically renamed over the old one, then the directory is fsynced. A crash leaves either the old or the new
 * file, never a torn one. It only ever moves forward: a checkpoint not larger than the one held is refused, and
 * from then on every write is refused, because the database went backwards under this running instance.
 */
public final class CheckpointFile implements CheckpointKeeper {

    private static final Logger LOG = Logger.getLogger(CheckpointFile.class);

    /** The file's name in the data directory. */
    public static final String NAME = "latest-checkpoint";

    private final Path dir;
    private final Path file;
    private final Path temp;
    /** Tree size of the checkpoint in the file; -1 before the file was read or when there is none. */
    private long size = -1;
    private boolean loaded;
    /** Why every further write is refused, once the database was seen going backwards. */
    private String rolledBack;

    public CheckpointFile(Path dataDir) {
        this.dir = dataDir.toAbsolutePath();
        this.file = dir.resolve(NAME);
        this.temp = dir.resolve(NAME + ".tmp");
    }

    public Path path() {
        return file;
    }

    /** The checkpoint text in the file, if there is one. */
    public synchronized Optional<String> read() {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The tree size of the newest checkpoint this instance signed or checked at its start (what the file holds),
     * or -1 when there is none yet or the file cannot be read. For metrics: reads the file at most once.
     */
    public synchronized long treeSize() {
        if (!loaded) {
            try {
                size = read().map(CheckpointFile::sizeOf).orElse(-1L);
                loaded = true;
            } catch (RuntimeException e) {
                return -1;
            }
        }
        return size;
    }

    /**
     * Why this running instance acknowledges no more writes (it saw the database go backwards under it), if it
     * did; only a restart, which checks the database again, clears it.
     */
    public synchronized Optional<String> wentBackwards() {
        return Optional.ofNullable(rolledBack);
    }

    /** The tree size of a checkpoint text (its signature is not checked here). */
    static long sizeOf(String note) {
        return Checkpoint.parse(Note.parse(note.getBytes(StandardCharsets.UTF_8)).text()).size();
    }

    @Override
    public synchronized void keep(long treeSize, String note) {
        if (rolledBack != null) {
            throw new IllegalStateException(rolledBack);
        }
        if (!loaded) {
            size = read().map(CheckpointFile::sizeOf).orElse(-1L);
            loaded = true;
        }
        if (treeSize <= size) {
            rolledBack = "The log went backwards under this running instance: it just committed a checkpoint of "
                    + "tree size " + treeSize + " but had already signed one of size " + size + " (" + file
                    + "). The database was rolled back or replaced; no further write of this instance is "
                    + "acknowledged. Restart it to have the database checked.";
            LOG.error(rolledBack);
            throw new IllegalStateException(rolledBack);
        }
        try {
            write(note);
        } catch (IOException e) {
            LOG.errorf("Could not write %s (%s). The batch up to tree size %d is committed, but its submitters are "
                    + "answered 503 until the file can be written again", file, e.getMessage(), treeSize);
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
        }
        size = treeSize;
    }

    /**
     * Replaces the file with a checkpoint whatever it held (startup only: a first start, an upgrade, the file
     * catching up with the database, or an accepted rollback).
     */
    synchronized void replace(String note) throws IOException {
        write(note);
        size = sizeOf(note);
        loaded = true;
        rolledBack = null;
    }

    /** Moves the file aside (an accepted rollback keeps the old checkpoint for the record); returns where. */
    synchronized Optional<Path> moveAside(String suffix) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Path aside = dir.resolve(NAME + "." + suffix);
        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory();
        size = -1;
        loaded = true;
        rolledBack = null;
        return Optional.of(aside);
    }

    private void write(String note) throws IOException {
        Files.createDirectories(dir);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(note.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system cannot rename atomically", e);
        }
        syncDirectory();
    }

    /** Makes the rename durable. Windows cannot open a directory for fsync; there the rename is all we get. */
    private void syncDirectory() throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows")) {
                throw e;
            }
        }
    }
}
