package org.fabtrail.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The PostgreSQL server Fabtrail runs for itself when no external database is configured.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>The server keeps its data in {@code <data dir>/postgres} across restarts; it runs with {@code fsync},
 *       {@code synchronous_commit} and {@code full_page_writes} on (the library's defaults turn durability off).</li>
 *   <li>Least privilege, as with an external database: the database {@code fabtrail} is owned by
 *       {@code fabtrail_owner} (migrations, offline commands); the application connects as {@code fabtrail_app},
 *       which is no superuser and owns nothing, so it cannot disable triggers or change
 *       {@code session_replication_role}. Every login needs its password (SCRAM-SHA-256), over 127.0.0.1 only: no
 *       {@code trust} line, no Unix socket. The passwords are generated into {@link DatabasePasswords} (0600).</li>
 *   <li>A data directory of an earlier version (superuser {@code postgres}, {@code trust} for local users) is
 *       upgraded on its first start: roles created, ownership of the database and its objects moved to
 *       {@code fabtrail_owner}, grants re-applied, {@code pg_hba.conf} rewritten.</li>
 *   <li>{@link #supervise() Supervised}, a server that dies (a crash, {@code kill -9}) is started again on the same
 *       data directory and port, retrying until it is up; {@link #state()} says DOWN meanwhile, and restart
 *       listeners are told once it is back.</li>
 *   <li>{@link #close()} stops it with a fast shutdown; a PostgreSQL process orphaned by a Fabtrail that was killed
 *       is stopped before the next start, so a crash never blocks a restart.</li>
 * </ul>
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
    static final String SUPERUSER = "postgres";
    public static final String OWNER = "fabtrail_owner";
    public static final String APP = "fabtrail_app";
    /** First line of the pg_hba.conf Fabtrail writes; a file without it is from an earlier version. */
    static final String HBA_MARKER = "# Fabtrail: password (SCRAM-SHA-256) logins over 127.0.0.1 only";
    private static final Duration POLL = Duration.ofMillis(200);

    /** Whether the server answers. */
    public enum State { UP, DOWN, STOPPED }

    private enum Setup { FRESH, CURRENT, EARLIER_VERSION }

    private static volatile EmbeddedDatabase supervised;

    private final EmbeddedPostgres postgres;
    private final Path pgData;
    private final int port;
    private final DatabasePasswords passwords;
    private final Map<String, String> serverConfig;
    private final List<Runnable> restartListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong restarts = new AtomicLong();
    private volatile ProcessHandle postmaster;
    private volatile boolean restarting;
    private volatile boolean closing;
    private volatile Instant lastCrash;
    private Thread supervisor;
    private Thread shutdownHook;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path pgData, int port, DatabasePasswords passwords,
                             Map<String, String> serverConfig) {
        this.postgres = postgres;
        this.pgData = pgData;
        this.port = port;
        this.passwords = passwords;
        this.serverConfig = serverConfig;
    }

    /**
     * Starts (initialising on first use, upgrading a data directory of an earlier version) the server whose data
     * lives in {@code dataDir/postgres}, with its roles and passwords in place. Not yet supervised.
     *
     * @param port TCP port on loopback; 0 picks a free one
     * @throws IllegalStateException when another live Fabtrail owns the data directory, or the password file of a
     *                               data directory that uses passwords is missing
     */
    public static EmbeddedDatabase start(Path dataDir, int port) throws IOException {
        Path pgData = dataDir.resolve("postgres").toAbsolutePath();
        Files.createDirectories(pgData);
        if (ownedByLiveProcess(pgData)) {
            throw new IllegalStateException("Another Fabtrail process is using the embedded database in " + pgData
                    + "; stop it first, or point FABTRAIL_DATA_DIR at another directory");
        }
        stopOrphan(pgData);
        Setup setup = !Files.exists(pgData.resolve("postgresql.conf")) ? Setup.FRESH
                : managedHba(pgData) ? Setup.CURRENT : Setup.EARLIER_VERSION;
        Path passwordFile = dataDir.resolve(DatabasePasswords.FILE);
        if (setup == Setup.CURRENT && !Files.exists(passwordFile)) {
            throw new IllegalStateException("The embedded database in " + pgData + " needs the passwords in "
                    + passwordFile.toAbsolutePath() + ", which is missing. Restore it from the backup of the data "
                    + "directory it belongs to.");
        }
        DatabasePasswords passwords = DatabasePasswords.loadOrCreate(dataDir);
        Map<String, String> config = serverConfig();
        Path initPassword = null;
        EmbeddedPostgres pg;
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setLocaleConfig("locale", "C")
                    // the library's readiness probe logs in as the superuser
                    .setConnectConfig("password", passwords.superuser())
                    // written after initdb (whose own file trusts every local user), before the server starts
                    .setDataDirectoryCustomizer(dir -> writeHba(dir.toPath(), setup == Setup.EARLIER_VERSION));
            config.forEach(builder::setServerConfig);
            if (setup == Setup.FRESH) {
                initPassword = Files.createTempFile(dataDir.toAbsolutePath(), ".initdb-", "",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(initPassword, passwords.superuser() + "\n", StandardCharsets.UTF_8);
                builder.setLocaleConfig("pwfile", initPassword.toString());
            }
            pg = builder.start();
        } finally {
            if (initPassword != null) {
                Files.deleteIfExists(initPassword);
            }
        }
        EmbeddedDatabase db = new EmbeddedDatabase(pg, pgData, pg.getPort(), passwords, config);
        try {
            db.postmaster = PostmasterPid.read(pgData).flatMap(p -> ProcessHandle.of(p.pid())).orElse(null);
            db.secure(setup);
        } catch (Exception e) {
            db.close();
            throw new IOException("Could not set up the roles of the embedded database: " + e.getMessage(), e);
        }
        LOG.infof("Embedded PostgreSQL running on 127.0.0.1:%d with data in %s", db.port, pgData);
        return db;
    }

    /** The server's settings; the same at the first start and at every restart. */
    private static Map<String, String> serverConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("timezone", "UTC");
        // Durability: the library's defaults switch these off; an acknowledged entry must survive a crash.
        c.put("fsync", "on");
        c.put("synchronous_commit", "on");
        c.put("full_page_writes", "on");
        c.put("listen_addresses", "127.0.0.1");
        // no Unix socket at all: the only way in is a password login over 127.0.0.1
        c.put("unix_socket_directories", "''");
        c.put("password_encryption", "scram-sha-256");
        c.put("max_connections", "100");
        return c;
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

    public int port() {
        return port;
    }

    /** Where the passwords are kept. */
    public DatabasePasswords passwords() {
        return passwords;
    }

    /** Data directory of the PostgreSQL cluster. */
    public Path pgData() {
        return pgData;
    }

    static String jdbcUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    private static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A connection as one of the roles ({@link #OWNER}, {@link #APP}) to the fabtrail database. */
    public Connection connect(String role) throws SQLException {
        String password = switch (role) {
            case OWNER -> passwords.owner();
            case APP -> passwords.app();
            default -> throw new IllegalArgumentException("no password is kept for role " + role);
        };
        return connect(jdbcUrl(), role, password);
    }

    static Connection connect(String url, String user, String password) throws SQLException {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser(user);
        if (password != null) {
            ds.setPassword(password);
        }
        ds.setConnectTimeout(10);
        return ds.getConnection();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Roles, passwords, ownership
    // ------------------------------------------------------------------------------------------------------------

    private void secure(Setup setup) throws SQLException, IOException, InterruptedException {
        rolesAndDatabase(setup);
        schemaOwnedByTheOwner();
        if (setup == Setup.EARLIER_VERSION) {
            requirePasswordLogins();
            LOG.infof("Upgraded the embedded database in %s: the application now connects as %s; passwords in %s",
                    pgData, APP, passwords.file());
        }
    }

    /**
     * The owner and runtime roles with their passwords (an earlier version's database first switches to password
     * logins), the runtime role in no other role, and the database, owned by the owner, which only it may connect to.
     */
    private void rolesAndDatabase(Setup setup) throws SQLException, IOException {
        String postgresDb = jdbcUrl(port, "postgres");
        try (Connection su = connect(postgresDb, SUPERUSER, passwords.superuser()); Statement st = su.createStatement()) {
            if (setup == Setup.EARLIER_VERSION) {
                // This start runs on a pg_hba.conf that trusts the superuser only (the earlier one trusted every
                // local user): give it its password and switch to password logins before anything else.
                LOG.infof("Upgrading the embedded database in %s: roles %s and %s, password logins", pgData, OWNER, APP);
                su.unwrap(PGConnection.class).alterUserPassword(SUPERUSER, passwords.superuser().toCharArray(),
                        "scram-sha-256");
                writeHba(pgData, false);
                st.execute("SELECT pg_reload_conf()");
            }
            for (String role : List.of(OWNER, APP)) {
                try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + role + "'")) {
                    if (!rs.next()) {
                        st.execute("CREATE ROLE " + role + " LOGIN");
                    }
                }
                st.execute("ALTER ROLE " + role + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION "
                        + "NOBYPASSRLS CONNECTION LIMIT -1");
                su.unwrap(PGConnection.class).alterUserPassword(role,
                        (OWNER.equals(role) ? passwords.owner() : passwords.app()).toCharArray(), "scram-sha-256");
            }
            // the runtime role belongs to no other role (a membership would hand it that role's rights)
            st.execute("DO $$ DECLARE r RECORD; BEGIN FOR r IN SELECT m.roleid::regrole AS granted FROM pg_auth_members m "
                    + "WHERE m.member = '" + APP + "'::regrole LOOP EXECUTE format('REVOKE %s FROM " + APP
                    + "', r.granted); END LOOP; END $$");
            boolean exists;
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                exists = rs.next();
            }
            if (!exists) {
                st.execute("CREATE DATABASE " + DATABASE + " OWNER " + OWNER + " ENCODING 'UTF8'");
            } else {
                st.execute("ALTER DATABASE " + DATABASE + " OWNER TO " + OWNER);
            }
            st.execute("REVOKE ALL ON DATABASE " + DATABASE + " FROM PUBLIC");
            st.execute("GRANT CONNECT ON DATABASE " + DATABASE + " TO " + APP);
        }
    }

    /** Everything in the schema belongs to the owner, nobody else creates in it, and the runtime role has its grants. */
    private void schemaOwnedByTheOwner() throws SQLException {
        try (Connection su = connect(jdbcUrl(), SUPERUSER, passwords.superuser()); Statement st = su.createStatement()) {
            su.setAutoCommit(false);
            // Everything in the schema belongs to the owner: tables (their indexes, triggers and owned sequences
            // follow), free-standing sequences, views and functions. Created by the superuser before this version.
            st.execute("""
                    DO $$
                    DECLARE r RECORD;
                    BEGIN
                        FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
                                 WHERE c.relnamespace = 'public'::regnamespace
                                   AND c.relowner <> 'fabtrail_owner'::regrole
                                   AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
                                   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                                   AND d.objid = c.oid AND d.deptype IN ('a', 'i')
                                                   AND d.refclassid = 'pg_class'::regclass) LOOP
                            EXECUTE format('ALTER %s %s OWNER TO fabtrail_owner',
                                CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                                    WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
                                r.name);
                        END LOOP;
                        FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p
                                 WHERE p.pronamespace = 'public'::regnamespace
                                   AND p.proowner <> 'fabtrail_owner'::regrole LOOP
                            EXECUTE format('ALTER ROUTINE %s OWNER TO fabtrail_owner', r.name);
                        END LOOP;
                        FOR r IN SELECT t.oid::regtype AS name FROM pg_type t
                                 WHERE t.typnamespace = 'public'::regnamespace AND t.typowner <> 'fabtrail_owner'::regrole
                                   AND t.typtype IN ('e', 'd', 'c') AND (t.typrelid = 0 OR EXISTS (SELECT 1 FROM pg_class c
                                       WHERE c.oid = t.typrelid AND c.relkind = 'c')) LOOP
                            EXECUTE format('ALTER TYPE %s OWNER TO fabtrail_owner', r.name);
                        END LOOP;
                    END
                    $$""");
            st.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
            // Re-apply the runtime role's grants on the schema as it is (migrations that ran while the role did not
            // exist granted nothing); the migration run that follows re-applies them if it changes the schema.
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_proc WHERE proname = 'fabtrail_grant_runtime_role' "
                    + "AND pronamespace = 'public'::regnamespace")) {
                if (rs.next()) {
                    rs.close();
                    st.execute("SELECT fabtrail_grant_runtime_role()");
                }
            }
            su.commit();
        }
    }

    /** Waits until the reloaded pg_hba.conf refuses a login without password. */
    private void requirePasswordLogins() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Connection c = connect(jdbcUrl(port, "postgres"), SUPERUSER, null)) {
                Thread.sleep(50);
            } catch (SQLException refused) {
                return;
            }
        }
        throw new IllegalStateException("PostgreSQL still lets the superuser in without a password after reloading "
                + pgData.resolve("pg_hba.conf"));
    }

    /** True when pg_hba.conf is the one this version writes. */
    private static boolean managedHba(Path pgData) throws IOException {
        Path hba = pgData.resolve("pg_hba.conf");
        return Files.exists(hba) && Files.readString(hba, StandardCharsets.UTF_8).startsWith(HBA_MARKER);
    }

    /**
     * Writes pg_hba.conf: SCRAM-SHA-256 for every role over 127.0.0.1 and nothing else (no trust, no Unix socket,
     * no IPv6, no replication). For the one start that upgrades a data directory of an earlier version, whose
     * superuser has no password yet, the superuser alone may log in without one over 127.0.0.1 until
     * {@link #secure} has set its password and reloaded the final file.
     */
    static void writeHba(Path pgData, boolean upgrading) {
        String text = upgrading
                ? "# Fabtrail: upgrading this data directory to password logins (rewritten within this start)\n"
                + "host    all    " + SUPERUSER + "    127.0.0.1/32    trust\n"
                : HBA_MARKER + ".\n"
                + "# Rewritten by Fabtrail at every start; edits are lost.\n"
                + "# TYPE  DATABASE  USER  ADDRESS       METHOD\n"
                + "host    all       all   127.0.0.1/32  scram-sha-256\n";
        try {
            Path tmp = pgData.resolve("pg_hba.conf.fabtrail");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, pgData.resolve("pg_hba.conf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + pgData.resolve("pg_hba.conf"), e);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Supervision
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Watches the server from now on: when it dies, it is started again on the same data directory and port,
     * retrying with back-off until it answers. Makes this the database {@link #supervised()} returns.
     */
    public synchronized EmbeddedDatabase supervise() {
        if (supervisor != null) {
            return this;
        }
        supervisor = new Thread(this::watch, "fabtrail-postgres-supervisor");
        supervisor.setDaemon(true);
        supervisor.start();
        // Stop the server at JVM exit, and do not take its stopping for a crash.
        shutdownHook = new Thread(this::closeQuietly, "fabtrail-postgres-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        supervised = this;
        return this;
    }

    /** The embedded database this process supervises, if any. */
    public static Optional<EmbeddedDatabase> supervised() {
        return Optional.ofNullable(supervised);
    }

    /** Runs {@code listener} each time the server is back after a crash (on the supervisor's thread). */
    public void onRestart(Runnable listener) {
        restartListeners.add(listener);
    }

    public void removeRestartListener(Runnable listener) {
        restartListeners.remove(listener);
    }

    /** DOWN from the moment the server process is gone until a restart has it answering again. */
    public State state() {
        if (closing) {
            return State.STOPPED;
        }
        ProcessHandle p = postmaster;
        return restarting || p == null || !running(p) ? State.DOWN : State.UP;
    }

    /** How many times the supervisor has brought the server back. */
    public long restarts() {
        return restarts.get();
    }

    public Optional<Instant> lastCrash() {
        return Optional.ofNullable(lastCrash);
    }

    private void watch() {
        Optional<Path> bin = postmaster == null ? Optional.empty()
                : postmaster.info().command().map(Path::of).map(Path::getParent);
        if (bin.isEmpty()) {
            LOG.warn("Cannot supervise the embedded PostgreSQL: its program path is unknown; a crash will need a restart");
            return;
        }
        while (!closing) {
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            ProcessHandle p = postmaster;
            if (closing || (p != null && running(p))) {
                continue;
            }
            recover(bin.get(), p);
        }
    }

    private void recover(Path bin, ProcessHandle dead) {
        restarting = true;
        lastCrash = Instant.now();
        LOG.errorf("Embedded PostgreSQL (pid %d) has stopped unexpectedly; restarting it on %s, port %d",
                dead == null ? -1 : dead.pid(), pgData, port);
        long delay = 100;
        int attempt = 0;
        while (!closing) {
            attempt++;
            try {
                restartServer(bin, dead);
                break;
            } catch (Exception e) {
                if (closing) {
                    return;
                }
                // After a kill the old server processes take a moment to exit and free the shared memory, so the
                // first attempts may fail; say so only when it lasts.
                if (attempt < 5) {
                    LOG.debugf("Restarting the embedded PostgreSQL failed (attempt %d): %s", attempt, e.getMessage());
                } else {
                    LOG.warnf("Restarting the embedded PostgreSQL failed (attempt %d): %s; retrying in %d ms",
                            attempt, e.getMessage(), delay);
                }
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException ie) {
                    return;
                }
                delay = Math.min(delay * 2, 5000);
            }
        }
        if (closing) {
            return;
        }
        restarts.incrementAndGet();
        restarting = false;
        LOG.infof("Embedded PostgreSQL is back (pid %d) after %d ms (start attempts: %d)", postmaster.pid(),
                Duration.between(lastCrash, Instant.now()).toMillis(), attempt);
        for (Runnable l : restartListeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.warn("A restart listener failed: " + e.getMessage(), e);
            }
        }
    }

    /**
     * True while the process runs. A killed process whose parent has not reaped it yet (a zombie) counts as gone:
     * the postmaster's parent is whatever adopted it when pg_ctl exited, which may reap late, or never (a JVM
     * running as PID 1 of a container).
     */
    static boolean running(ProcessHandle p) {
        if (!p.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"), StandardCharsets.US_ASCII);
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return p.isAlive(); // no /proc: trust the JDK
        }
    }

    /** pg_ctl start on the same data directory, port and settings, waiting until the server accepts logins. */
    private void restartServer(Path bin, ProcessHandle dead) throws IOException, InterruptedException, SQLException {
        writeHba(pgData, false);
        // PostgreSQL takes a postmaster.pid naming a live process for another server; a zombie is live to it.
        // The shared-memory check still stops it while any old server process is attached.
        Optional<PostmasterPid> stale = PostmasterPid.read(pgData);
        if (dead != null && stale.isPresent() && stale.get().pid() == dead.pid() && !running(dead)) {
            Files.deleteIfExists(pgData.resolve("postmaster.pid"));
        }
        List<String> options = new ArrayList<>(List.of("-p", Integer.toString(port)));
        serverConfig.forEach((k, v) -> {
            options.add("-c");
            options.add(k + "=" + v);
        });
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U")); // as root: run PostgreSQL unprivileged, as the library does
        }
        command.addAll(List.of(bin.resolve("pg_ctl").toString(), "-D", pgData.toString(), "-o",
                String.join(" ", options), "-w", "-t", "120", "start"));
        Path log = pgData.resolve("log-after-restart.txt");
        Process pgCtl = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        boolean finished;
        try {
            finished = pgCtl.waitFor(150, TimeUnit.SECONDS);
        } catch (InterruptedException closing) {
            // close() while starting: let pg_ctl finish, so that close() stops the server it may have started
            finished = pgCtl.onExit().thenApply(p -> true).completeOnTimeout(false, 150, TimeUnit.SECONDS).join();
            Thread.currentThread().interrupt();
        }
        if (!finished) {
            pgCtl.destroyForcibly();
            throw new IOException("pg_ctl start did not finish");
        }
        if (pgCtl.exitValue() != 0) {
            throw new IOException("pg_ctl start failed: " + tail(log));
        }
        postmaster = PostmasterPid.read(pgData).flatMap(p -> ProcessHandle.of(p.pid()))
                .orElseThrow(() -> new IOException("PostgreSQL started but left no postmaster.pid"));
        try (Connection c = connect(jdbcUrl(port, "postgres"), SUPERUSER, passwords.superuser());
             Statement st = c.createStatement()) {
            st.execute("SELECT 1");
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "(no output)";
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Ownership of the data directory
    // ------------------------------------------------------------------------------------------------------------

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
        Optional<ProcessHandle> process = ProcessHandle.of(pid.get().pid()).filter(EmbeddedDatabase::running);
        if (process.isEmpty() || !pid.get().isPostgres()) {
            return;
        }
        LOG.warnf("Stopping PostgreSQL (pid %d) left running by a Fabtrail that did not shut down cleanly",
                pid.get().pid());
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(pid.get().pid())).inheritIO().start().waitFor();
            process.get().onExit().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("Could not stop the orphaned PostgreSQL process " + pid.get().pid()
                    + "; stop it by hand and start again", e);
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            LOG.warn("Embedded PostgreSQL did not stop cleanly: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        Thread watcher;
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            watcher = supervisor;
            if (supervised == this) {
                supervised = null;
            }
            if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or about to; this close() got there first
                }
            }
        }
        if (watcher != null) {
            watcher.interrupt();
            try {
                watcher.join(180_000); // a restart in progress finishes first (pg_ctl start is bounded)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (java.nio.file.NoSuchFileException gone) {
                return Optional.empty();
            }
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
            return ProcessHandle.of(pid).map(EmbeddedDatabase::running).orElse(false);
        }

        boolean isPostgres() {
            return ProcessHandle.of(pid).flatMap(p -> p.info().command())
                    .map(c -> c.endsWith("/postgres") || c.endsWith("postgres")).orElse(true);
        }
    }
}
