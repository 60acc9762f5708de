package org.fabtrail.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The architecture table of the design: {@code crypto} imports only the JDK and Bouncy Castle's
 * provider jar, {@code ledger.checkpoint} only the JDK and {@code org.fabtrail.crypto}, {@code witness} only the
 * JDK (its HTTP server included), {@code crypto}, {@code ledger.checkpoint} and {@code ledger.merkle}. Reads the
 * sources (Maven runs tests from the project directory).
 */
class DependencyRulesTest {

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)(?:\\.\\*)?;", Pattern.MULTILINE);
    private static final Pattern QUALIFIED_USE = Pattern.compile("\\b(io\\.quarkus|jakarta|javax\\.(?!security|crypto)|com\\.fasterxml|org\\.hibernate)\\.");

    @ParameterizedTest
    @CsvSource({
        "src/main/java/org/fabtrail/crypto,            java. javax.crypto. org.bouncycastle.",
        "src/main/java/org/fabtrail/ledger/checkpoint, java. org.fabtrail.crypto.",
        // the witness and the monitor run without Quarkus or a database (docs/adr/0010)
        "src/main/java/org/fabtrail/witness,           java. com.sun.net.httpserver. org.fabtrail.crypto. org.fabtrail.ledger.checkpoint. org.fabtrail.ledger.merkle.",
    })
    void packagesImportOnlyWhatTheArchitectureAllows(String dir, String allowedPrefixes) throws IOException {
        List<String> allowed = List.of(allowedPrefixes.split(" "));
        List<String> violations = new ArrayList<>();
        List<Path> sources = sources(dir);
        assertFalse(sources.isEmpty(), "no sources under " + dir);
        for (Path source : sources) {
            String code = Files.readString(source);
            Matcher m = IMPORT.matcher(code);
            while (m.find()) {
                String imported = m.group(1);
                if (allowed.stream().noneMatch(imported::startsWith)) {
                    violations.add(source.getFileName() + ": import " + imported);
                }
            }
            Matcher q = QUALIFIED_USE.matcher(code);
            while (q.find()) {
                violations.add(source.getFileName() + ": uses " + q.group());
            }
        }
        assertEquals(List.of(), violations);
    }

    /**
     * The domain packages keep to their layer: custody never sees Bouncy Castle, attestation, api or web (device
     * identity checks reach it through its DeviceIdentity interface); attestation never sees api or web.
     */
    @ParameterizedTest
    @CsvSource({
        "src/main/java/org/fabtrail/custody,      java. javax.sql. org.fabtrail.crypto. org.fabtrail.ledger.",
        "src/main/java/org/fabtrail/attestation,  java. javax.security. javax.sql. org.bouncycastle. org.fabtrail.crypto. org.fabtrail.custody. org.fabtrail.ledger. org.fabtrail.attestation.",
    })
    void domainPackagesImportOnlyTheirLayers(String dir, String allowedPrefixes) throws IOException {
        List<String> allowed = List.of(allowedPrefixes.split(" "));
        List<String> violations = new ArrayList<>();
        for (Path source : sources(dir)) {
            String code = Files.readString(source);
            Matcher m = IMPORT.matcher(code);
            while (m.find()) {
                if (allowed.stream().noneMatch(m.group(1)::startsWith)) {
                    violations.add(source.getFileName() + ": import " + m.group(1));
                }
            }
            for (String banned : List.of("org.bouncycastle.", "org.fabtrail.api.", "org.fabtrail.web.")) {
                if (!allowed.contains(banned) && code.contains(banned)) {
                    violations.add(source.getFileName() + ": uses " + banned);
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    /** Only crypto and attestation import Bouncy Castle (design, "Architecture"). */
    @org.junit.jupiter.api.Test
    void onlyCryptoAndAttestationImportBouncyCastle() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/org/fabtrail"))) {
            for (Path source : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String pkg = source.getParent().toString().replace('\\', '/');
                if (pkg.endsWith("org/fabtrail/crypto") || pkg.endsWith("org/fabtrail/attestation")
                        || pkg.contains("org/fabtrail/attestation/")) { // attestation.platform is attestation too
                    continue;
                }
                if (Files.readString(source).contains("org.bouncycastle")) {
                    violations.add(source.toString());
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @ParameterizedTest
    @CsvSource("src/main/java/org/fabtrail/crypto")
    void bouncyCastleClassesComeFromTheProviderJarOnly(String dir) throws Exception {
        for (Path source : sources(dir)) {
            Matcher m = IMPORT.matcher(Files.readString(source));
            while (m.find()) {
                String imported = m.group(1);
                if (imported.startsWith("org.bouncycastle.")) {
                    String location = Class.forName(imported).getProtectionDomain().getCodeSource().getLocation().toString();
                    assertTrue(location.contains("bcprov-"), imported + " comes from " + location);
                }
            }
        }
    }

    private static List<Path> sources(String dir) throws IOException {
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }
}
