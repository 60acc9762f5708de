package org.fabtrail.docs;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Docs that cannot rot (style point 15): runs the shell examples of docs/api.md and README.md against the test
 * server and checks what they print.
 *
 * <ul>
 *   <li>docs/api.md: every {@code ```sh} block, in document order, each in its own {@code bash -euo pipefail},
 *       all in one directory, so the worked example's later blocks see the files its earlier blocks made.</li>
 *   <li>README.md: every {@code ```sh} block that contains {@code curl} (not the build and run commands), in a
 *       directory of their own, on a log holding at least the four entries the README's proofs ask for.</li>
 *   <li>{@code http://localhost:8080} becomes the test server's URL, {@code demo-admin-token} the test's
 *       admin token and {@code target/fabtrail-client.jar} the kit's absolute path. Each block must exit 0.
 *       A {@code ```text} block that follows a {@code ```sh} block with only
 *       blank lines between is its expected standard output, line by line (trailing blanks ignored), where
 *       {@code <...>} matches any non-empty text within the line.</li>
 * </ul>
 */
@QuarkusTest
@io.quarkus.test.junit.TestProfile(DocsProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DocsExamplesTest {

    private static final Path API_GUIDE = Path.of("docs", "api.md");
    private static final Path README = Path.of("README.md");
    private static final String DOC_URL = "http://localhost:8080";
    private static final String DOC_ADMIN_TOKEN = "demo-admin-token";
    private static final String TEST_ADMIN_TOKEN = "test-admin-token";
    private static final long BLOCK_TIMEOUT_SECONDS = 120;
    /** The partner client kit the build makes (docs/api.md, "Integrating an ERP"), run from the examples' directory. */
    private static final String CLIENT_JAR = "target/fabtrail-client.jar";

    private static final Pattern FENCE_OPEN = Pattern.compile("^```(\\S*)\\s*$");
    private static final Pattern FENCE_CLOSE = Pattern.compile("^```\\s*$");
    private static final Pattern PLACEHOLDER = Pattern.compile("<[^<>]+>");

    /** A fenced code block: its info string, its text, and the lines of its opening and closing fences (1-based). */
    record Block(Path file, String lang, String body, int openLine, int closeLine) {
        boolean isShell() {
            return lang.equals("sh");
        }

        boolean hasCurl() {
            return body.contains("curl ");
        }

        String where() {
            return file + ":" + openLine;
        }
    }

    /** A shell block to run, and the output it must print (null when the doc shows none). */
    record Example(Block code, String expectedOutput) {
    }

    @Test
    @Order(1)
    void everyCurlExampleIsAShellBlockTheTestRuns() throws IOException {
        for (Path doc : List.of(API_GUIDE, README)) {
            List<Block> blocks = blocks(doc);
            for (Block b : blocks) {
                if (b.hasCurl()) {
                    assertTrue(b.isShell(), b.where() + ": a curl example must be a ```sh block, or no test runs it");
                }
            }
            assertTrue(blocks.stream().anyMatch(b -> b.isShell() && b.hasCurl()), doc + " has no curl example");
        }
    }

    @Test
    @Order(2)
    void theApiGuideExamplesRunInOrderAndPrintWhatTheGuideShows(@TempDir Path workDir) throws Exception {
        List<Example> examples = examples(API_GUIDE, false);
        assertTrue(examples.stream().anyMatch(e -> e.code().body().contains("/api/v1/entries")),
                "the worked example submits an entry");
        assertTrue(examples.stream().filter(e -> e.expectedOutput() != null).count() >= 10,
                "the guide shows the output of its examples");
        for (Example e : examples) {
            run(e, workDir);
        }
    }

    @Test
    @Order(3)
    void theReadmeCurlExamplesRun(@TempDir Path workDir) throws Exception {
        // The README's proofs ask for index=1&size=4 and from=2&to=4 of the demo log; make sure there is as much.
        for (int i = 0; treeSize() < 4; i++) {
            given().header("Authorization", "Bearer " + TEST_ADMIN_TOKEN).contentType("application/json")
                    .body(Map.of("id", "docs-readme-" + i, "name", "README example " + i, "country", "NL",
                            "roles", List.of("distributor")))
                    .when().post("/api/v1/admin/orgs").then().statusCode(201);
        }
        List<Example> examples = examples(README, true);
        assertFalse(examples.isEmpty(), "README.md has curl examples");
        for (Example e : examples) {
            run(e, workDir);
        }
    }

    // ----------------------------------------------------------------------------------------------------------

    private static long treeSize() {
        String note = given().get("/api/v1/log/checkpoint").then().statusCode(200).extract().asString();
        return Long.parseLong(note.split("\n")[1]);
    }

    /** The server's base URL; RestAssured knows the port only once a test runs. */
    private static String serverUrl() {
        return "http://localhost:" + RestAssured.port;
    }

    private static String forTestServer(String text) {
        return text.replace(DOC_URL, serverUrl()).replace(DOC_ADMIN_TOKEN, TEST_ADMIN_TOKEN)
                .replace(CLIENT_JAR, Path.of(CLIENT_JAR).toAbsolutePath().toString());
    }

    static List<Block> blocks(Path doc) throws IOException {
        List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE_OPEN.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            int close = i + 1;
            while (close < lines.size() && !FENCE_CLOSE.matcher(lines.get(close)).matches()) {
                close++;
            }
            if (close == lines.size()) {
                fail(doc + ":" + (i + 1) + ": code block is never closed");
            }
            StringBuilder body = new StringBuilder();
            for (String l : lines.subList(i + 1, close)) {
                body.append(l).append('\n');
            }
            out.add(new Block(doc, open.group(1), body.toString(), i + 1, close + 1));
            i = close;
        }
        return out;
    }

    /** The shell blocks of a document (with curl only, if asked), each with the output block that follows it. */
    static List<Example> examples(Path doc, boolean curlOnly) throws IOException {
        List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
        List<Block> blocks = blocks(doc);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            if (!b.isShell() || (curlOnly && !b.hasCurl())) {
                continue;
            }
            String expected = null;
            if (i + 1 < blocks.size() && blocks.get(i + 1).lang().equals("text")) {
                Block next = blocks.get(i + 1);
                boolean adjacent = lines.subList(b.closeLine(), next.openLine() - 1).stream().allMatch(String::isBlank);
                if (adjacent) {
                    expected = next.body();
                }
            }
            out.add(new Example(b, expected));
        }
        return out;
    }

    private static void run(Example example, Path workDir) throws Exception {
        Block block = example.code();
        String script = forTestServer(block.body());
        Path stdout = Files.createTempFile("docs-example", ".out");
        Path stderr = Files.createTempFile("docs-example", ".err");
        try {
            Process p = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
                    .directory(workDir.toFile())
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            p.getOutputStream().close();
            if (!p.waitFor(BLOCK_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail(report(block, script, "did not finish within " + BLOCK_TIMEOUT_SECONDS + " s", stdout, stderr, null));
            }
            if (p.exitValue() != 0) {
                fail(report(block, script, "exited with status " + p.exitValue(), stdout, stderr, null));
            }
            if (example.expectedOutput() != null) {
                String expected = forTestServer(example.expectedOutput());
                String actual = Files.readString(stdout, StandardCharsets.UTF_8);
                if (!outputMatches(expected, actual)) {
                    fail(report(block, script, "printed other output than the doc shows", stdout, stderr, expected));
                }
            }
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    /** Line by line, ignoring trailing whitespace and trailing blank lines; {@code <...>} matches any text. */
    static boolean outputMatches(String expected, String actual) {
        List<String> want = significantLines(expected);
        List<String> got = significantLines(actual);
        if (want.size() != got.size()) {
            return false;
        }
        for (int i = 0; i < want.size(); i++) {
            if (!linePattern(want.get(i)).matcher(got.get(i)).matches()) {
                return false;
            }
        }
        return true;
    }

    private static List<String> significantLines(String text) {
        List<String> lines = new ArrayList<>();
        for (String l : text.split("\n", -1)) {
            lines.add(l.stripTrailing());
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    static Pattern linePattern(String expectedLine) {
        StringBuilder regex = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(expectedLine);
        int at = 0;
        while (m.find()) {
            regex.append(Pattern.quote(expectedLine.substring(at, m.start()))).append(".+?");
            at = m.end();
        }
        regex.append(Pattern.quote(expectedLine.substring(at)));
        return Pattern.compile(regex.toString());
    }

    private static String report(Block block, String script, String what, Path stdout, Path stderr, String expected)
            throws IOException {
        StringBuilder r = new StringBuilder();
        r.append("The example at ").append(block.where()).append(' ').append(what).append(".\n--- script\n")
                .append(script).append("--- stdout\n").append(Files.readString(stdout, StandardCharsets.UTF_8))
                .append("\n--- stderr\n").append(Files.readString(stderr, StandardCharsets.UTF_8));
        if (expected != null) {
            r.append("\n--- expected stdout\n").append(expected);
        }
        return r.toString();
    }

    @Test
    @Order(0)
    void theOutputMatcherTreatsAngleBracketsAsPlaceholdersAndNothingElse() {
        assertTrue(outputMatches("201\n{\"index\":<n>}\n", "201\n{\"index\":7}"));
        assertFalse(outputMatches("201\n", "200\n"));
        assertFalse(outputMatches("{\"index\":<n>}", "{\"index\":}"));
        assertFalse(outputMatches("a.b", "axb"));
        assertFalse(outputMatches("one\ntwo", "one"));
        assertEquals("one", significantLines("one  \n\n").get(0));
    }
}
