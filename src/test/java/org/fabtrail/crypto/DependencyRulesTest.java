package org.fabtrail.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
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
        // the partner client kit is a jar of its own with only these (src/assembly/client.xml, docs/api.md)
        "src/main/java/org/fabtrail/client,            java. org.fabtrail.crypto. org.fabtrail.ledger.checkpoint. org.fabtrail.ledger.merkle. org.fabtrail.custody.Csv",
    })
    void packagesImportOnlyWhatTheArchitectureAllows(String dir, String allowedPrefixes) throws IOException {
        assertImportsOnly(dir, allowedPrefixes, code -> code, (code, allowed) -> {
            List<String> uses = new ArrayList<>();
            Matcher q = QUALIFIED_USE.matcher(code);
            while (q.find()) {
                uses.add(q.group());
            }
            return uses;
        });
    }

    /**
     * Every source under {@code dir} (which must have some) imports only names that start with one of the
     * {@code allowedPrefixes}, and uses nothing that {@code uses} finds in its code ({@code read} from the file).
     */
    private static void assertImportsOnly(String dir, String allowedPrefixes, UnaryOperator<String> read,
            BiFunction<String, List<String>, List<String>> uses) throws IOException {
        List<String> allowed = List.of(allowedPrefixes.split(" "));
        List<String> violations = new ArrayList<>();
        List<Path> sources = sources(dir);
        assertFalse(sources.isEmpty(), "no sources under " + dir);
        for (Path source : sources) {
            String code = read.apply(Files.readString(source));
            violations.addAll(importsOutside(source, code, allowed));
            for (String use : uses.apply(code, allowed)) {
                violations.add(source.getFileName() + ": uses " + use);
            }
        }
        assertEquals(List.of(), violations);
    }

    /** The imports of {@code source} (its {@code code}) that start with none of the {@code allowed} prefixes. */
    private static List<String> importsOutside(Path source, String code, List<String> allowed) {
        List<String> violations = new ArrayList<>();
        Matcher m = IMPORT.matcher(code);
        while (m.find()) {
            if (allowed.stream().noneMatch(m.group(1)::startsWith)) {
                violations.add(source.getFileName() + ": import " + m.group(1));
            }
        }
        return violations;
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
        "src/main/java/org/fabtrail/discrepancy,  java. javax.crypto. javax.net.ssl. javax.sql. org.fabtrail.crypto. org.fabtrail.custody. org.fabtrail.attestation. org.fabtrail.ledger. org.fabtrail.discrepancy.",
    })
    void domainPackagesImportOnlyTheirLayers(String dir, String allowedPrefixes) throws IOException {
        assertImportsOnly(dir, allowedPrefixes, DependencyRulesTest::withoutComments, (code, allowed) ->
                Stream.of("org.bouncycastle.", "org.fabtrail.attestation", "org.fabtrail.discrepancy",
                        "org.fabtrail.api.", "org.fabtrail.web.", "org.fabtrail.server.")
                        .filter(banned -> allowed.stream().noneMatch(a -> a.startsWith(banned)) && code.contains(banned))
                        .toList());
    }

    /**
     * What the packages that plug entry types into custody may use of it: the plug-in contract, the state API and
     * custody's value types (docs/adr/0010-entry-types-as-plug-ins.md). Not the dispatcher, the assembly, the replay,
     * the key registry or the read side: those belong to the composition root and the API.
     */
    static final List<String> CUSTODY_CONTRACT = List.of(
            // the plug-in contract
            "EntryType", "AbstractEntryType", "Payload", "PayloadRecord", "PayloadSchema", "Wants", "BatchState",
            "DeviceEnrolment",
            // the state API
            "Registry", "CustodyState", "Rules", "Facts", "Fact", "CustodyObserver", "Screening",
            // values and helpers
            "UnitKey", "Operator", "Roles", "OperatorEntries", "Csv",
            // what a caller may see: the argument of every read service (ADR 0024)
            "Visibility");

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

    /**
     * Every package and what it may use of the others: the layer order of the design ("Architecture"), lowest first.
     * A package may use its own subpackages and the packages named here, nothing above it; {@code server}, the
     * composition root, may use everything. A new package must be placed here before it can exist.
     */
    static final Map<String, List<String>> LAYERS = layers(
            "crypto", "",
            "ledger.merkle", "",
            "ledger.checkpoint", "crypto",
            "ledger", "crypto ledger.merkle ledger.checkpoint",
            "custody", "crypto ledger",
            "accounts", "crypto ledger",
            "attestation", "crypto ledger custody",
            "discrepancy", "crypto ledger custody attestation",
            "epcis", "crypto ledger custody",
            "witness", "crypto ledger.checkpoint ledger.merkle",
            "client", "crypto ledger.checkpoint ledger.merkle custody",
            "api", "crypto ledger custody accounts attestation discrepancy epcis",
            "web", "crypto ledger custody accounts attestation discrepancy epcis api",
            "server", "crypto ledger custody accounts attestation discrepancy epcis witness api web");

    /**
     * Uses that break the order and are not yet undone, each with its reason: {@code api.LogResource} waits for the
     * witnesses' cosignatures through {@code server.CosignatureCollector} and reads its wait from
     * {@code server.FabtrailConfig} (moving the collector below api is open work). Nothing may be added here.
     */
    static final List<String> KNOWN_EXCEPTIONS = List.of("api/LogResource.java -> server");

    private static final Pattern FABTRAIL_USE = Pattern.compile("\\borg\\.fabtrail\\.([a-z][\\w.]*?)\\.[A-Z]");

    @org.junit.jupiter.api.Test
    void everyPackageKeepsToTheLayerOrder() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path source : allSources()) {
            String from = packageOf(source);
            String layer = layerOf(from);
            if (layer == null) {
                violations.add(relative(source) + ": package " + from + " has no place in LAYERS");
                continue;
            }
            for (String used : fabtrailUses(withoutComments(Files.readString(source)))) {
                String usedLayer = layerOf(used);
                boolean ok = usedLayer != null && (usedLayer.equals(layer) || LAYERS.get(layer).stream()
                        .anyMatch(a -> used.equals(a) || used.startsWith(a + ".")));
                String edge = relative(source) + " -> " + usedLayer;
                if (!ok && !KNOWN_EXCEPTIONS.contains(edge)) {
                    violations.add(relative(source) + ": uses " + used);
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    /**
     * The API's resources and the web's pages read through the domains' read services, with the caller's visibility
     * (ADR 0024): none runs {@code Ledger.read} or holds a JDBC {@code Connection} itself, so none can forget the
     * visibility rule. The uses that remain, each with its reason; nothing may be added here.
     */
    static final Map<String, String> OWN_READS = Map.of(
            // the side tables of discrepancy and of the web, not the log's read side: Ledger.read only maps
            // their SQLException to 503 database-unavailable (giving them their own mapping is open work)
            "api/DiscrepanciesResource.java", "stores an uploaded document (Documents.store)",
            "api/WebhooksResource.java", "registers, lists and stops webhooks (Webhooks)",
            "web/pages/orgs/OrgWebhooksPage.java", "registers, lists and stops webhooks (Webhooks)",
            "api/RestrictedPartiesResource.java", "reads the restricted-party list it imports (RestrictedList)",
            "web/pages/findings/RestrictedPartiesPage.java", "reads the restricted-party list it imports (RestrictedList)",
            "web/signing/UiSigning.java", "keeps the organisations' sealed UI signing keys (ui_signing_keys)",
            // authentication runs before any resource: it reads api_tokens on its own connection
            "api/auth/Authenticator.java", "reads and touches API tokens (api_tokens)");

    private static final Pattern OWN_READ = Pattern.compile("\\.read\\(\\s*\\w+\\s*->|\\bjava\\.sql\\.Connection\\b"
            + "|\\bConnection\\s+\\w+\\s*[=;,)]|\\bprepareStatement\\(");

    @org.junit.jupiter.api.Test
    void resourcesAndPagesReadThroughTheReadServices() throws IOException {
        List<String> violations = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        for (Path source : allSources()) {
            String file = relative(source);
            if (!file.startsWith("api/") && !file.startsWith("web/")) {
                continue;
            }
            Matcher m = OWN_READ.matcher(withoutLiterals(withoutComments(Files.readString(source))));
            if (m.find()) {
                if (OWN_READS.containsKey(file)) {
                    used.add(file);
                } else {
                    violations.add(file + ": " + m.group());
                }
            }
        }
        assertEquals(List.of(), violations);
        assertEquals(new TreeSet<>(OWN_READS.keySet()), used, "an exception that is no longer needed must go");
    }

    /** The packages' actual uses form no cycle (an import or an inline name in either direction is one). */
    @org.junit.jupiter.api.Test
    void packagesFormNoCycle() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Path source : allSources()) {
            String layer = layerOf(packageOf(source));
            for (String used : fabtrailUses(withoutComments(Files.readString(source)))) {
                String to = layerOf(used);
                if (to != null && !to.equals(layer)) {
                    graph.computeIfAbsent(layer, k -> new TreeSet<>()).add(to);
                }
            }
        }
        List<String> cycles = new ArrayList<>();
        for (String start : graph.keySet()) {
            Deque<List<String>> paths = new ArrayDeque<>();
            paths.push(List.of(start));
            Set<String> seen = new HashSet<>();
            while (!paths.isEmpty()) {
                List<String> path = paths.pop();
                for (String next : graph.getOrDefault(path.get(path.size() - 1), Set.of())) {
                    if (next.equals(start)) {
                        cycles.add(String.join(" -> ", path) + " -> " + start);
                    } else if (seen.add(next)) {
                        List<String> longer = new ArrayList<>(path);
                        longer.add(next);
                        paths.push(longer);
                    }
                }
            }
        }
        assertEquals(List.of(), cycles);
    }

    /**
     * Code names other Fabtrail classes through imports only: an inline fully-qualified {@code org.fabtrail.} name
     * hides a dependency from whoever reads the imports (the cycles of issue 10 hid that way).
     */
    @org.junit.jupiter.api.Test
    void codeUsesNoInlineFullyQualifiedFabtrailNames() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path source : allSources()) {
            String code = withoutComments(Files.readString(source));
            for (String line : code.split("\n")) {
                String trimmed = line.strip();
                if (trimmed.startsWith("package ") || trimmed.startsWith("import ")) {
                    continue;
                }
                if (FABTRAIL_USE.matcher(withoutLiterals(line)).find()) {
                    violations.add(relative(source) + ": " + trimmed);
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    /** The rules above see a use however it is written, and no use inside a literal or a comment. */
    @org.junit.jupiter.api.Test
    void usesAreFoundInImportsAndInlineNames() {
        String code = "import org.fabtrail.web.Viewer;\nclass A { org.fabtrail.server.FabtrailConfig c; "
                + "String s = \"org.fabtrail.api.X\"; }\n// org.fabtrail.discrepancy.Y";
        assertEquals(Set.of("web", "server"), fabtrailUses(withoutComments(code)));
        assertEquals("web", layerOf("web.session"));
        assertEquals("ledger.checkpoint", layerOf("ledger.checkpoint"));
        assertEquals("attestation", layerOf("attestation.platform"));
    }

    private static Map<String, List<String>> layers(String... pairs) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put(pairs[i], pairs[i + 1].isEmpty() ? List.of() : List.of(pairs[i + 1].split(" ")));
        }
        return out;
    }

    /** The entry of LAYERS a package belongs to: the longest that is the package or one of its parents. */
    static String layerOf(String pkg) {
        String best = null;
        for (String layer : LAYERS.keySet()) {
            if ((pkg.equals(layer) || pkg.startsWith(layer + ".")) && (best == null || layer.length() > best.length())) {
                best = layer;
            }
        }
        return best;
    }

    /** The Fabtrail packages (relative to org.fabtrail) the code imports or names inline. */
    static Set<String> fabtrailUses(String code) {
        Set<String> out = new TreeSet<>();
        Matcher m = FABTRAIL_USE.matcher(withoutLiterals(code));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String withoutLiterals(String code) {
        return code.replaceAll("\"(?:[^\"\\\\\\n]|\\\\.)*\"", "\"\"");
    }

    private static String packageOf(Path source) {
        String dir = Path.of("src/main/java/org/fabtrail").relativize(source.getParent()).toString();
        return dir.replace('/', '.').replace('\\', '.');
    }

    private static String relative(Path source) {
        return Path.of("src/main/java/org/fabtrail").relativize(source).toString().replace('\\', '/');
    }

    private static List<Path> allSources() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/org/fabtrail"))) {
            List<Path> out = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
            assertFalse(out.isEmpty());
            return out;
        }
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
