package org.fabtrail.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/container/Containerfile, read as text (no container engine runs here): it packs the Quarkus fast-jar the build
 * makes, runs it as an unprivileged user, and keeps everything it writes on volumes.
 */
class ContainerfileTest {

    static final Path FILE = Path.of("deploy/container/Containerfile");

    /** The instructions, continuation lines joined, comments dropped. */
    static List<String> instructions() {
        try {
            List<String> out = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            for (String line : Files.readAllLines(FILE)) {
                if (line.isBlank() || line.stripLeading().startsWith("#")) {
                    continue;
                }
                if (line.endsWith("\\")) {
                    cur.append(line, 0, line.length() - 1).append(' ');
                    continue;
                }
                out.add(cur.append(line).toString().trim());
                cur.setLength(0);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> all(String instruction) {
        return instructions().stream().filter(i -> i.startsWith(instruction + " ")).map(i -> i.substring(instruction.length() + 1).trim())
                .toList();
    }

    /** The numeric user the image runs as (its last USER). */
    static int imageUser() {
        List<String> users = all("USER");
        assertFalse(users.isEmpty(), "the image names its user");
        Matcher m = Pattern.compile("(\\d+)(:(\\d+))?").matcher(users.get(users.size() - 1));
        assertTrue(m.matches(), "USER is numeric (so Kubernetes can check runAsNonRoot): " + users.get(users.size() - 1));
        return Integer.parseInt(m.group(1));
    }

    static String imageDataDir() {
        for (String env : all("ENV")) {
            Matcher m = Pattern.compile("FABTRAIL_DATA_DIR=(\\S+)").matcher(env);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("the image sets FABTRAIL_DATA_DIR");
    }

    @Test
    void packsTheQuarkusFastJar() throws IOException {
        List<String> copies = all("COPY");
        for (String part : List.of("lib/", "*.jar", "app/", "quarkus/")) {
            assertTrue(copies.stream().anyMatch(c -> c.contains("target/quarkus-app/" + part + " /deployments/")),
                    "copies target/quarkus-app/" + part + " into /deployments");
        }
        String packaging = KubernetesManifestsTest.applicationProperties().getProperty("quarkus.package.jar.type", "fast-jar");
        assertEquals("fast-jar", packaging, "the build makes the fast-jar the image expects");
        assertEquals(List.of("[\"java\", \"-jar\", \"/deployments/quarkus-run.jar\"]"), all("ENTRYPOINT"));
        assertEquals(List.of("[\"serve\"]"), all("CMD"), "serves by default; verify and rebuild follow the image name");
        assertTrue(all("FROM").get(0).matches(".*(temurin|openjdk).*17.*"), "a Java 17 runtime");
    }

    @Test
    void runsAsAnUnprivilegedUser() {
        int uid = imageUser();
        assertTrue(uid >= 1000, "not root, not a system account: " + uid);
        List<String> users = all("USER");
        assertTrue(users.stream().noneMatch(u -> u.startsWith("root") || u.startsWith("0")), "never switches to root");
        int lastUser = instructions().lastIndexOf("USER " + users.get(users.size() - 1));
        int entry = instructions().indexOf(instructions().stream().filter(i -> i.startsWith("ENTRYPOINT")).findFirst().orElseThrow());
        assertTrue(lastUser < entry, "USER comes before the entrypoint");
        assertTrue(all("RUN").stream().anyMatch(r -> r.contains("useradd") && r.contains("--uid " + uid)),
                "the user exists in the image");
    }

    @Test
    void writesOnlyToVolumes() {
        String dataDir = imageDataDir();
        List<String> volumes = all("VOLUME");
        assertEquals(1, volumes.size());
        assertTrue(volumes.get(0).contains("\"" + dataDir + "\""), "the data directory is a volume");
        assertTrue(volumes.get(0).contains("\"/tmp\""), "/tmp is a volume (the JVM and Quarkus write there)");
        assertTrue(all("RUN").stream().anyMatch(r -> r.contains("chown 10001:10001 " + dataDir) || r.contains("chown "
                + imageUser() + ":" + imageUser() + " " + dataDir)), "the user owns its data directory");
        assertTrue(all("COPY").stream().allMatch(c -> c.startsWith("--chown=0:0")),
                "the application's files belong to root, so the user cannot change them");
        assertEquals(List.of("8080"), all("EXPOSE"));
    }
}
