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
 * The architecture table of the design (docs/design/packages.md): {@code crypto} imports only the JDK and Bouncy
 * Castle's provider jar, {@code ledger.checkpoint} only the JDK and {@code org.fabtrail.crypto}, {@code witness} only
 * the JDK (its HTTP server included), {@code crypto}, {@code ledger.checkpoint} and {@code ledger.merkle}; the domain
 * packages keep to their layers, and the packages that plug entry types into custody use only its public contract.
 * Reads the sources (Maven runs tests from the project directory).
 */
class DependencyRulesTest {

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)(?:\\.\\*)?;", Pattern.MULTILINE);
    private static final Pattern QUALIFIED_USE = Pattern.compile("\\b(io\\.quarkus|jakarta|javax\\.(?!security|crypto)|com\\.fasterxml|org\\.hibernate)\\.");

    @ParameterizedTest
    @CsvSource({
        "src/main/java/org/fabtrail/crypto,            java. javax.crypto. org.bouncycastle.",
        "src/main/java/org/fabtrail/ledger/checkpoint, java. org.fabtrail.crypto.",
        // the witness and the monitor run without Quarkus or a database (docs/adr/0013-witnesses.md)
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
     * The domain packages keep to their layer (design, "Architecture"): custody is the lowest and sees neither
     * Bouncy Castle nor the packages that plug into it (attestation, discrepancy) nor api, web or server; attestation
     * sees custody but not discrepancy; discrepancy sees custody and attestation; none sees api, web or server. The
     * banned names are searched in the whole code (comments aside), so an inline fully-qualified name counts as an
     * import.
     */
    @ParameterizedTest
    @CsvSource({
        "src/main/java/org/fabtrail/custody,      java. javax.sql. org.fabtrail.crypto. org.fabtrail.ledger.",
        "src/main/java/org/fabtrail/attestation,  java. javax.security. javax.sql. org.bouncycastle. org.fabtrail.crypto. org.fabtrail.custody. org.fabtrail.ledger. org.fabtrail.attestation.",
        "src/main/java/org/fabtrail/discrepancy,  java. javax.crypto. javax.sql. org.fabtrail.crypto. org.fabtrail.custody. org.fabtrail.attestation. org.fabtrail.ledger. org.fabtrail.discrepancy.",
    })
    void domainPackagesImportOnlyTheirLayers(String dir, String allowedPrefixes) throws IOException {
        List<String> allowed = List.of(allowedPrefixes.split(" "));
        List<String> violations = new ArrayList<>();
        List<Path> sources = sources(dir);
        assertFalse(sources.isEmpty(), "no sources under " + dir);
        for (Path source : sources) {
            String code = withoutComments(Files.readString(source));
            Matcher m = IMPORT.matcher(code);
            while (m.find()) {
                if (allowed.stream().noneMatch(m.group(1)::startsWith)) {
                    violations.add(source.getFileName() + ": import " + m.group(1));
                }
            }
            for (String banned : List.of("org.bouncycastle.", "org.fabtrail.attestation", "org.fabtrail.discrepancy",
                    "org.fabtrail.api.", "org.fabtrail.web.", "org.fabtrail.server.")) {
                if (allowed.stream().noneMatch(a -> a.startsWith(banned)) && code.contains(banned)) {
                    violations.add(source.getFileName() + ": uses " + banned);
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    /**
     * What the packages that plug entry types into custody may use of it: the plug-in contract, the state API and
     * custody's value types (docs/adr/0010-entry-types-as-plug-ins.md). Not the dispatcher, the assembly, the replay,
     * the key registry or the read side: those belong to the composition root and the API.
     */
    static final List<String> CUSTODY_CONTRACT = List.of(
            // the plug-in contract
            "EntryType", "Payload", "PayloadSchema", "Wants", "BatchState", "DeviceEnrolment",
            // the state API
            "Registry", "CustodyState", "Rules", "Facts", "Fact", "CustodyObserver", "Screening",
            // values and helpers
            "UnitKey", "Operator", "Roles", "OperatorEntries", "Csv");

    @ParameterizedTest
    @CsvSource({"src/main/java/org/fabtrail/attestation", "src/main/java/org/fabtrail/discrepancy"})
    void pluginsUseOnlyCustodysPublicContract(String dir) throws IOException {
        Pattern custody = Pattern.compile("\\borg\\.fabtrail\\.custody\\.(\\w+)");
        List<String> violations = new ArrayList<>();
        for (Path source : sources(dir)) {
            Matcher m = custody.matcher(withoutComments(Files.readString(source)));
            while (m.find()) {
                if (!CUSTODY_CONTRACT.contains(m.group(1))) {
                    violations.add(source.getFileName() + ": uses custody." + m.group(1));
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    /** What the rules read as code: comments go, literals stay whole (a "/*" in a string starts no comment). */
    @org.junit.jupiter.api.Test
    void commentsAreNotCode() {
        String code = "x = org.fabtrail.web.A.b(\"*/*\"); // org.fabtrail.api.C\n/** {@link org.fabtrail.api.D} */ y();";
        assertEquals("x = org.fabtrail.web.A.b(\"*/*\"); \n  y();", withoutComments(code));
    }

    /** The contract names public classes of custody, so the rule above cannot pass by naming what is not there. */
    @org.junit.jupiter.api.Test
    void custodysContractIsPublic() throws Exception {
        for (String name : CUSTODY_CONTRACT) {
            Class<?> c = Class.forName("org.fabtrail.custody." + name);
            assertTrue(java.lang.reflect.Modifier.isPublic(c.getModifiers()), name + " is not public");
        }
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

    /**
     * The source without its comments (Javadoc may name any class; only code counts). String and character literals
     * are kept whole, so a {@code "*\/*"} or a URL in one does not start a comment.
     */
    static String withoutComments(String code) {
        StringBuilder out = new StringBuilder(code.length());
        int i = 0;
        int n = code.length();
        while (i < n) {
            char c = code.charAt(i);
            if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && code.charAt(j) != c) {
                    j += code.charAt(j) == '\\' ? 2 : 1;
                }
                out.append(code, i, Math.min(j + 1, n));
                i = j + 1;
            } else if (code.startsWith("//", i)) {
                while (i < n && code.charAt(i) != '\n') {
                    i++;
                }
            } else if (code.startsWith("/*", i)) {
                int end = code.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static List<Path> sources(String dir) throws IOException {
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }
}
