package org.fabtrail.attestation.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * {@code org.fabtrail.attestation.platform} imports only the JDK (with {@code javax.security.auth.x500}
 * for distinguished names), Bouncy Castle and {@code org.fabtrail.crypto}: no Quarkus, no persistence,
 * no JSON binding. Same approach as {@code org.fabtrail.crypto.DependencyRulesTest}, which lists
 * packages explicitly and so does not cover this one.
 */
class PlatformDependencyRulesTest {

    private static final Path SOURCES = Path.of("src/main/java/org/fabtrail/attestation/platform");
    private static final List<String> ALLOWED = List.of("java.", "javax.security.auth.x500.", "org.bouncycastle.",
            "org.fabtrail.crypto.", "org.fabtrail.attestation.platform.");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)(?:\\.\\*)?;", Pattern.MULTILINE);
    private static final Pattern QUALIFIED_USE = Pattern.compile(
            "\\b(io\\.quarkus|jakarta|javax\\.(?!security\\.auth\\.x500)|com\\.fasterxml|org\\.hibernate|org\\.fabtrail\\.(?!crypto|attestation\\.platform))\\.?");

    @Test
    void importsOnlyTheJdkBouncyCastleAndCrypto() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.list(SOURCES)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertFalse(sources.isEmpty(), "no sources under " + SOURCES);
        List<String> violations = new ArrayList<>();
        for (Path source : sources) {
            String code = Files.readString(source);
            Matcher m = IMPORT.matcher(code);
            while (m.find()) {
                String imported = m.group(1);
                if (ALLOWED.stream().noneMatch(imported::startsWith)) {
                    violations.add(source.getFileName() + ": import " + imported);
                }
            }
            Matcher q = QUALIFIED_USE.matcher(code.replaceAll("(?m)^import .*$", ""));
            while (q.find()) {
                violations.add(source.getFileName() + ": uses " + q.group());
            }
        }
        assertEquals(List.of(), violations);
    }
}
