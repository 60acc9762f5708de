package org.fabtrail.deploy;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs deploy/ha/failover-test.sh (issue 15): a real Patroni/etcd/HAProxy stack of three PostgreSQL nodes and three
 * Fabtrail instances, its primary and one instance killed with SIGKILL under signed writes, the old primary
 * restarted, a switchover; then every receipt checked against the log, `verify --checkpoint` and `rebuild --check`.
 * The script does the checking; this test runs it and fails when it does.
 *
 * <p>Skipped, saying why, when the machine lacks Debian's packages (apt-get install postgresql patroni etcd-server
 * etcd-client haproxy; .ci/run installs them), or is not run as root or postgres (PostgreSQL runs as postgres). With
 * them, it runs: a packaged jar that is missing or older than the compiled classes is built first
 * (./mvnw -B package -DskipTests, which .ci/run does before the tests). Takes about three minutes on two cores.
 */
class HaFailoverTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path JAR = ROOT.resolve("target/quarkus-app/quarkus-run.jar");

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static boolean postgresInstalled() throws IOException {
        Path lib = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(lib)) {
            return false;
        }
        try (Stream<Path> versions = Files.list(lib)) {
            return versions.anyMatch(v -> Files.isExecutable(v.resolve("bin/postgres")));
        }
    }

    private static FileTime newest(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> {
                try {
                    return Files.getLastModifiedTime(p);
                } catch (IOException e) {
                    return FileTime.fromMillis(0);
                }
            }).max(FileTime::compareTo).orElse(FileTime.fromMillis(0));
        }
    }

    /** A base port whose 50 ports above are all free on 127.0.0.1 (the stack uses base .. base + 49). */
    private static int freePortBase() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 26000 + 50 * ThreadLocalRandom.current().nextInt(60);
            boolean free = true;
            for (int p = base; p < base + 50 && free; p++) {
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no free range of 50 ports found");
    }

    @Test
    void theStackSurvivesItsPrimaryAndAnInstanceBeingKilledAndASwitchoverWithoutLosingAnAcknowledgedEntry()
            throws Exception {
        List<String> missing = new ArrayList<>();
        for (String command : List.of("patroni", "patronictl", "etcd", "haproxy", "runuser", "curl", "openssl")) {
            if (!onPath(command)) {
                missing.add(command);
            }
        }
        if (!postgresInstalled()) {
            missing.add("postgresql");
        }
        Assumptions.assumeTrue(missing.isEmpty(), "HA failover test skipped: missing " + missing + " (apt-get install "
                + "postgresql patroni etcd-server etcd-client haproxy curl openssl; .ci/run installs them)");
        String user = System.getProperty("user.name");
        Assumptions.assumeTrue("root".equals(user) || "postgres".equals(user),
                "HA failover test skipped: it runs PostgreSQL as the postgres user, so it must run as root or postgres, not " + user);
        packageIfStale();

        Path haDir = Files.createTempDirectory(Path.of("/tmp"), "fabtrail-ha-test");
        Path out = ROOT.resolve("target/failover");
        Path log = ROOT.resolve("target/failover-test.log");
        ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("deploy/ha/failover-test.sh").toString())
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("HA_DIR", haDir.toString());
        pb.environment().put("HA_PORT_BASE", String.valueOf(freePortBase()));
        pb.environment().put("FAILOVER_OUT", out.toString());
        pb.environment().put("FAILOVER_TIMEOUT", "420");
        Process script = pb.start();
        boolean finished = script.waitFor(8, TimeUnit.MINUTES);
        if (!finished) {
            script.destroy(); // the script's own trap stops the stack
            script.waitFor(60, TimeUnit.SECONDS);
        }
        String output = Files.readString(log);
        System.out.println(Files.exists(out.resolve("report.md")) ? Files.readString(out.resolve("report.md")) : output);
        assertTrue(finished, "the failover test did not finish within 8 minutes:\n" + tail(output));
        assertEquals(0, script.exitValue(), "the failover test failed (logs: " + log + ", " + haDir + "):\n"
                + tail(output));
        assertTrue(output.contains("OK: every receipt is in the log at its index with its leaf hash"), tail(output));
    }

    /**
     * The stack runs the packaged jar; one missing or older than the compiled classes would test other code than
     * the suite's, so it is built here, not skipped.
     */
    private static void packageIfStale() throws IOException, InterruptedException {
        if (Files.exists(JAR)) {
            FileTime jarTime = newest(ROOT.resolve("target/quarkus-app/app"));
            FileTime classesTime = newest(ROOT.resolve("target/classes/org"));
            if (jarTime.compareTo(classesTime) >= 0) {
                return;
            }
            System.out.println("HaFailoverTest: the packaged jar (" + jarTime + ") is older than the compiled classes ("
                    + classesTime + "); packaging it");
        } else {
            System.out.println("HaFailoverTest: no packaged jar " + JAR + "; packaging it");
        }
        Path log = ROOT.resolve("target/failover-package.log");
        Process build = new ProcessBuilder(ROOT.resolve("mvnw").toString(), "-B", "-q", "package", "-DskipTests")
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = build.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            build.destroyForcibly();
            build.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(finished && build.exitValue() == 0, "./mvnw -B package -DskipTests failed or took over 10 minutes "
                + "(" + log + "):\n" + tail(Files.readString(log)));
        assertTrue(Files.exists(JAR), "./mvnw -B package -DskipTests made no " + JAR);
    }

    private static String tail(String output) {
        String[] lines = output.split("\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 60), lines.length));
    }
}
