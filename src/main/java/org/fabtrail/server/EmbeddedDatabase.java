package org.fabtrail.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jboss.logging.Logger;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The PostgreSQL server Fabtrail runs for itself when no external database is configured.
 *
 * <p>Guarantees: the server keeps its data in {@code <data dir>/postgres} across restarts; it runs with
 * {@code fsync}, {@code synchronous_commit} and {@code full_page_writes} on (the library's defaults turn
 * durability off); {@link #close()} stops it with a fast shutdown; and a PostgreSQL process orphaned by a
 * Fabtrail that was killed is stopped before the next start, so a crash never blocks a restart.
 *
 * <p>The library starts PostgreSQL through {@code pg_ctl}, so the server is a separate process: another
 * Fabtrail process (for example the {@code verify} command) may {@link #attach(Path) attach} to a server that a
 * running Fabtrail owns instead of starting a second one on the same data.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    /** The lock file the library holds while a JVM owns the data directory. */
    private static final String OWNER_LOCK = "epg-lock";
    static final String DATABASE = "fabtrail";
    static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final int port;

    private EmbeddedDatabase(EmbeddedPostgres postgres, int port) {
        this.postgres = postgres;
        this.port = port;
    }

    /**
     * Starts (initialising on first use) the server whose data lives in {@code dataDir/postgres}.
     *
     * @param port TCP port on loopback; 0 picks a free one
     * @throws IllegalStateException when another live Fabtrail owns the data directory
     */
    public static EmbeddedDatabase start(Path dataDir, int port) throws IOException {
        Path pgData = dataDir.resolve("postgres").toAbsolutePath();
        Files.createDirectories(pgData);
        if (ownedByLiveProcess(pgData)) {
            throw new IllegalStateException("Another Fabtrail process is using the embedded database in " + pgData
                    + "; stop it first, or point FABTRAIL_DATA_DIR at another directory");
        }
        stopOrphan(pgData);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setLocaleConfig("locale", "C")
                // Durability: the library's defaults switch these off; an acknowledged entry must survive a crash.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "100");
        EmbeddedPostgres pg = builder.start();
        EmbeddedDatabase db = new EmbeddedDatabase(pg, pg.getPort());
        db.createDatabaseIfMissing();
        LOG.infof("Embedded PostgreSQL running on 127.0.0.1:%d with data in %s", db.port, pgData);
        return db;
    }

    /**
     * Finds the server of a Fabtrail that is running on {@code dataDir} and returns its JDBC URL, without
     * starting or stopping anything.
     */
    public static Optional<String> attach(Path dataDir) throws IOException {
        Path pgData = dataDir.resolve("postgres").toAbsolutePath();
        Optional<PostmasterPid> pid = PostmasterPid.read(pgData);
        if (pid.isEmpty() || !pid.get().alive()) {
            return Optional.empty();
        }
        return Optional.of(jdbcUrl(pid.get().port()));
    }

    public String jdbcUrl() {
        return jdbcUrl(port);
    }

    public String user() {
        return USER;
    }

    public int port() {
        return port;
    }

    static String jdbcUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    private void createDatabaseIfMissing() {
        try (var c = postgres.getPostgresDatabase().getConnection(); var st = c.createStatement()) {
            try (var rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            st.execute("CREATE DATABASE " + DATABASE + " ENCODING 'UTF8'");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("Could not create the " + DATABASE + " database: " + e.getMessage(), e);
        }
    }

    /** True when a JVM holds the library's owner lock on the data directory. */
    private static boolean ownedByLiveProcess(Path pgData) throws IOException {
        Path lock = pgData.resolve(OWNER_LOCK);
        if (!Files.exists(lock)) {
            return false;
        }
        try (FileOutputStream out = new FileOutputStream(lock.toFile(), true); FileChannel ch = out.getChannel()) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return true;
        }
    }

    /**
     * A killed Fabtrail leaves its PostgreSQL running (pg_ctl detaches it). Nobody owns it any more, so stop it
     * with a fast shutdown (SIGINT) before starting our own; a stale pid file alone is handled by PostgreSQL.
     */
    private static void stopOrphan(Path pgData) throws IOException {
        Optional<PostmasterPid> pid = PostmasterPid.read(pgData);
        if (pid.isEmpty()) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.get().pid()).filter(ProcessHandle::isAlive);
        if (process.isEmpty() || !pid.get().isPostgres()) {
            return;
        }
        LOG.warnf("Stopping PostgreSQL (pid %d) left running by a Fabtrail that did not shut down cleanly",
                pid.get().pid());
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(pid.get().pid())).inheritIO().start().waitFor();
            process.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("Could not stop the orphaned PostgreSQL process " + pid.get().pid()
                    + "; stop it by hand and start again", e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("Embedded PostgreSQL did not stop cleanly: " + e.getMessage());
        }
    }

    /** The first lines of PostgreSQL's {@code postmaster.pid}: pid, data directory, start time, port. */
    record PostmasterPid(long pid, int port) {
        static Optional<PostmasterPid> read(Path pgData) throws IOException {
            Path file = pgData.resolve("postmaster.pid");
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(file);
            if (lines.size() < 4) {
                return Optional.empty();
            }
            try {
                return Optional.of(new PostmasterPid(Long.parseLong(lines.get(0).trim()),
                        Integer.parseInt(lines.get(3).trim())));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        boolean alive() {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }

        boolean isPostgres() {
            return ProcessHandle.of(pid).flatMap(p -> p.info().command())
                    .map(c -> c.endsWith("/postgres") || c.endsWith("postgres")).orElse(true);
        }
    }
}
