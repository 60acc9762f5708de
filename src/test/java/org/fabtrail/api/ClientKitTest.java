package org.fabtrail.api;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.fabtrail.client.ClientMain;
import org.fabtrail.client.EntryFiles;
import org.fabtrail.client.PartnerClient;
import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.epcis.EpcisCapture;
import org.fabtrail.ledger.CheckpointSigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The partner client kit (org.fabtrail.client, target/fabtrail-client.jar) against the running server: a key made
 * by {@code keygen}, entries from JSON and CSV files signed once and submitted with every answer verified, the same
 * files again appending nothing, refusals reported, the checkpoint kept and a forked history caught, a unit's bundle
 * fetched and verified, and a tampered bundle refused. Docs: docs/api.md, "Integrating an ERP".
 */
@QuarkusTest
@TestProfile(SeparateLogProfile.class) // appends over 1,200 entries: LogResourceTest counts on a small shared log
class ClientKitTest {

    @TestHTTPResource("/")
    URL url;

    @Inject
    CheckpointSigner signer;

    record Run(int status, String out, String err) {
    }

    private static Run client(String token, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ClientMain.run(args, token, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The client kit submits {@code files} as {@code p}, with its key and the log's key. */
    private Run submit(Partner p, Path... files) {
        List<String> args = new ArrayList<>(List.of("submit", "--url", base(), "--key", p.keyFile().toString(),
                "--actor", p.org(), "--log-key", p.vkey().toString()));
        for (Path file : files) {
            args.add(file.toString());
        }
        return client(p.token(), args.toArray(String[]::new));
    }

    /** The client kit refuses the whole of {@code file}, written with {@code content}, saying {@code said}. */
    private void assertFileRefused(Partner p, Path file, String content, String said) throws IOException {
        Files.writeString(file, content);
        Run refused = submit(p, file);
        assertEquals(1, refused.status());
        assertTrue(refused.err().contains(said), refused.err());
    }

    private String base() {
        return url.toString().replaceAll("/$", "");
    }

    private static long treeSize() {
        return Long.parseLong(given().get("/api/v1/log/checkpoint").then().statusCode(200).extract().asString().split("\n")[1]);
    }

    /** Onboards an organisation with the public key keygen printed; returns a read/write token. */
    private static String onboard(String org, String publicPem) {
        given().header("Authorization", ApiClient.ADMIN).contentType("application/json")
                .body(Map.of("id", org, "name", "Org " + org, "country", "DE", "roles", List.of("manufacturer")))
                .when().post("/api/v1/admin/orgs").then().statusCode(201);
        given().header("Authorization", ApiClient.ADMIN).contentType("application/json")
                .body(Map.of("publicKey", publicPem)).when().post("/api/v1/admin/orgs/" + org + "/keys").then().statusCode(201);
        return ApiClient.token(org, "read", "write");
    }

    @Test
    void aPartnerOnboardsSubmitsFilesTwiceAndVerifiesItsUnitsBundle(@TempDir Path dir) throws Exception {
        String org = "kit-" + UUID.randomUUID().toString().substring(0, 8);
        Path key = dir.resolve("key.pem");
        Run keygen = client(null, "keygen", "--out", key.toString());
        assertEquals(0, keygen.status(), keygen.err());
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(key));
        SigningKey signing = SigningKey.fromPkcs8Pem(Files.readString(key));
        assertTrue(keygen.out().contains("key id: " + signing.keyId()), keygen.out());
        String publicPem = keygen.out().substring(keygen.out().indexOf("-----BEGIN PUBLIC KEY-----"));
        assertEquals(signing.verificationKey().toPem().strip(), publicPem.strip());
        assertEquals(2, client(null, "keygen", "--out", key.toString()).status(), "an existing key is never overwritten");
        String token = onboard(org, publicPem);

        Path vkey = dir.resolve("log.vkey");
        Files.writeString(vkey, given().get("/api/v1/log/key").then().statusCode(200).extract().asString());
        Path state = dir.resolve("checkpoint.txt");
        Path json = dir.resolve("sites.json");
        Files.writeString(json, "[{\"type\":\"site.register\",\"site\":\"fab-1\",\"name\":\"Fab one\",\"country\":\"DE\","
                + "\"address\":\"1 Main St\"}]");
        Path csv = dir.resolve("units.csv");
        StringBuilder rows = new StringBuilder("serial,kind,model,eccn,site\r\n");
        for (int i = 0; i < 1203; i++) {
            rows.append("KIT-").append(i).append(",accelerator,H200-SXM,3A090.a,fab-1\r\n");
        }
        Files.writeString(csv, rows);

        long before = treeSize();
        Run submit = client(token, "submit", "--url", base(), "--key", key.toString(), "--actor", org, "--log-key",
                vkey.toString(), "--state", state.toString(), json.toString(), csv.toString());
        assertEquals(0, submit.status(), submit.out() + submit.err());
        assertTrue(submit.out().contains("units.csv: 1203 entries") && submit.out().contains("1000/1203 answered, 0 refused")
                && submit.out().contains("1203/1203 answered, 0 refused"), "split into batches of 1,000, with progress: " + submit.out());
        assertTrue(submit.out().contains("every answer verified"), submit.out());
        long after = treeSize();
        assertTrue(after >= before + 1204, before + " -> " + after);
        assertTrue(Files.readString(state).startsWith(signer.origin() + "\n"), "the newest checkpoint is kept");

        Run again = client(token, "submit", "--url", base(), "--key", key.toString(), "--actor", org, "--log-key",
                vkey.toString(), "--state", state.toString(), json.toString(), csv.toString());
        assertEquals(0, again.status(), again.out() + again.err());
        assertEquals(1204, again.out().lines().filter(l -> l.contains("(sent before)")).count(), again.out());
        given().header("Authorization", "Bearer " + token).get("/api/v1/units/" + org + "/KIT-1202").then().statusCode(200);
        assertEquals(1, countRegistrations(token, org, "KIT-7"), "the same files sent twice appended each entry once");

        Path bundle = dir.resolve("bundle.json");
        Run fetched = client(token, "bundle", "--url", base(), "--log-key", vkey.toString(), "--state", state.toString(),
                "--out", bundle.toString(), org, "KIT-7");
        assertEquals(0, fetched.status(), fetched.err());
        assertTrue(fetched.out().contains(": 1 entries") && fetched.out().contains("unit.register"), fetched.out());
        assertEquals(0, client(null, "verify-bundle", "--log-key", vkey.toString(), bundle.toString()).status());

        // a bundle whose leaf was altered (another model) no longer verifies offline
        String text = Files.readString(bundle);
        String leaf = text.replaceAll("(?s).*\"leaf\":\"([^\"]+)\".*", "$1");
        String forged = new String(Base64.getDecoder().decode(leaf), StandardCharsets.UTF_8).replace("H200-SXM", "H100-SXM");
        Files.writeString(bundle, text.replace(leaf, Base64.getEncoder().encodeToString(forged.getBytes(StandardCharsets.UTF_8))));
        Run tampered = client(null, "verify-bundle", "--log-key", vkey.toString(), bundle.toString());
        assertEquals(3, tampered.status());
        assertTrue(tampered.err().contains("NOT VERIFIED: entry") && tampered.err().contains("leafHash"), tampered.err());
    }

    private static long countRegistrations(String token, String org, String serial) {
        List<Object> types = given().header("Authorization", "Bearer " + token).get("/api/v1/units/" + org + "/" + serial + "/history")
                .then().statusCode(200).extract().path("type");
        return types.stream().filter("unit.register"::equals).count();
    }

    /** A partner onboarded with a fresh Ed25519 key on disk, its read/write token and the log's key in a file. */
    record Partner(String org, String token, Path keyFile, Path vkey) {
    }

    private static Partner partner(Path dir) throws Exception {
        String org = "kit-" + UUID.randomUUID().toString().substring(0, 8);
        SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
        Path keyFile = dir.resolve("key.pem");
        Files.writeString(keyFile, key.toPkcs8Pem());
        String token = onboard(org, key.verificationKey().toPem());
        Path vkey = dir.resolve("log.vkey");
        Files.writeString(vkey, given().get("/api/v1/log/key").then().extract().asString());
        return new Partner(org, token, keyFile, vkey);
    }

    /** An EPCIS 2.0 document commissioning {@code count} units at {@code site}; the event at {@code badAt} names no site. */
    private static String epcisDocument(String org, String site, int count, int badAt) {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < count; i++) {
            events.append(i == 0 ? "" : ",").append("{\"type\":\"ObjectEvent\",\"action\":\"ADD\",\"bizStep\":\"commissioning\",")
                    .append("\"epcList\":[\"urn:fabtrail:unit:").append(org).append(":EP-").append(i).append("\"],")
                    .append("\"bizLocation\":{\"id\":\"urn:fabtrail:site:").append(org).append(':')
                    .append(i == badAt ? "nowhere" : site).append("\"},\"eventTime\":\"").append(Instant.now())
                    .append("\",\"eventTimeZoneOffset\":\"+00:00\",")
                    .append("\"ilmd\":{\"fabtrail:kind\":\"accelerator\",\"fabtrail:model\":\"H200-SXM\"}}");
        }
        return "{\"@context\":[\"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld\","
                + "{\"fabtrail\":\"https://fabtrail.org/ns/epcis/\"}],\"type\":\"EPCISDocument\",\"schemaVersion\":\"2.0\","
                + "\"creationDate\":\"" + Instant.now() + "\",\"epcisBody\":{\"eventList\":[" + events + "]}}";
    }

    @Test
    void anEpcisFileIsCapturedAHundredEventsPerEntry(@TempDir Path dir) throws Exception {
        assertEquals(EpcisCapture.MAX_EVENTS, EntryFiles.EPCIS_EVENTS_PER_ENTRY, "the client splits at the server's limit");
        Partner p = partner(dir);
        String org = p.org();
        String token = p.token();
        Path site = dir.resolve("site.json");
        Files.writeString(site, "[{\"type\":\"site.register\",\"site\":\"fab-1\",\"name\":\"Fab\",\"country\":\"DE\","
                + "\"address\":\"1 Main St\"}]");
        Path epcis = dir.resolve("commissioning.jsonld");
        Files.writeString(epcis, epcisDocument(org, "fab-1", 150, 120));

        Run r = submit(p, site, epcis);
        // events 0-99 in the first entry go in; event 120 refuses the second entry, events 100-149 with it
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("commissioning.jsonld: 2 entries"), r.out());
        assertTrue(r.out().contains("entry 2:") && r.out().contains("1 entries refused"), r.out());
        assertTrue(r.out().contains("Event 20 of the EPCIS document"), "the problem names the event within its entry: " + r.out());
        List<Object> types = given().header("Authorization", "Bearer " + token).get("/api/v1/units/" + org + "/EP-99/history")
                .then().statusCode(200).extract().path("type");
        assertEquals(List.of("epcis.capture"), types);
        given().header("Authorization", "Bearer " + token).get("/api/v1/units/" + org + "/EP-100").then().statusCode(404);

        assertFileRefused(p, dir.resolve("other.jsonld"), "{\"type\":\"EPCISQueryDocument\"}",
                "must hold one EPCIS 2.0 EPCISDocument");
    }

    @Test
    void refusedEntriesAreReportedAndTheOthersGoIn(@TempDir Path dir) throws Exception {
        Partner p = partner(dir);
        String org = p.org();
        String token = p.token();
        Path lines = dir.resolve("mixed.jsonl");
        Files.writeString(lines, String.join("\n",
                "{\"type\":\"site.register\",\"site\":\"s1\",\"name\":\"S1\",\"country\":\"DE\",\"address\":\"x\"}",
                "{\"type\":\"unit.register\",\"serial\":\"OK-1\",\"kind\":\"accelerator\",\"model\":\"M\",\"site\":\"s1\"}",
                "{\"type\":\"unit.register\",\"serial\":\"BAD-1\",\"kind\":\"accelerator\",\"model\":\"M\",\"site\":\"nowhere\"}",
                "{\"type\":\"unit.register\",\"serial\":\"OK-2\",\"kind\":\"accelerator\",\"model\":\"M\",\"site\":\"s1\"}"));
        Run r = submit(p, lines);
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("entry 3:") && r.out().contains("refused, 422 urn:fabtrail:problem:unknown-site"), r.out());
        assertTrue(r.out().contains("1 entries refused"), r.out());
        given().header("Authorization", "Bearer " + token).get("/api/v1/units/" + org + "/OK-2").then().statusCode(200);
        given().header("Authorization", "Bearer " + token).get("/api/v1/units/" + org + "/BAD-1").then().statusCode(404);

        assertFileRefused(p, dir.resolve("other.json"),
                "[{\"type\":\"site.register\",\"actor\":\"someone-else\",\"site\":\"s2\"}]", "names an actor");
    }

    @Test
    void aForkedHistoryOrAnotherLogsKeyIsCaught(@TempDir Path dir) throws Exception {
        Path vkey = dir.resolve("log.vkey");
        Files.writeString(vkey, given().get("/api/v1/log/key").then().extract().asString());
        Path state = dir.resolve("checkpoint.txt");
        Run first = client(null, "check-log", "--url", base(), "--log-key", vkey.toString(), "--state", state.toString());
        assertEquals(0, first.status(), first.err());
        Run second = client(null, "check-log", "--url", base(), "--log-key", vkey.toString(), "--state", state.toString());
        assertEquals(0, second.status(), second.err());
        assertTrue(second.out().contains("consistent with the one seen before"), second.out());

        // the log's own key signed a checkpoint of the current size with another root: a second history
        long size = treeSize();
        byte[] otherRoot = new byte[32];
        otherRoot[0] = 1;
        Files.writeString(state, signer.sign(size, otherRoot));
        Run forked = client(null, "check-log", "--url", base(), "--log-key", vkey.toString(), "--state", state.toString());
        assertEquals(3, forked.status(), forked.out());
        assertTrue(forked.err().contains("two histories") || forked.err().contains("not consistent"), forked.err());

        // an older checkpoint of another history: the consistency proof from it to today's does not hold
        Files.writeString(state, signer.sign(size - 1, otherRoot));
        Run older = client(null, "check-log", "--url", base(), "--log-key", vkey.toString(), "--state", state.toString());
        assertEquals(3, older.status(), older.out());
        assertTrue(older.err().contains("is not consistent with checkpoint " + (size - 1)), older.err());

        // a vkey that is not the log's: nothing it is shown verifies
        Files.delete(state);
        String otherVkey = new CheckpointSigner(signer.origin(), SigningKey.generate(SignatureAlgorithm.ED25519)).vkey();
        Run wrongKey = client(null, "check-log", "--url", base(), "--log-key", otherVkey);
        assertEquals(3, wrongKey.status());
        assertTrue(wrongKey.err().contains("does not verify with the pinned log key"), wrongKey.err());
    }

    @Test
    void thePackagedJarRunsOnItsOwn(@TempDir Path dir) throws Exception {
        Path jar = Path.of("target/fabtrail-client.jar");
        assertTrue(Files.exists(jar), "mvn process-classes builds target/fabtrail-client.jar");
        Path vkey = dir.resolve("log.vkey");
        Files.writeString(vkey, given().get("/api/v1/log/key").then().extract().asString());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "check-log", "--url", base(), "--log-key", vkey.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("checkpoint verified: size "), out);
        assertFalse(new String(Files.readAllBytes(jar), StandardCharsets.ISO_8859_1).contains("io/quarkus/"),
                "the kit carries only what it needs, no server");
    }

    @Test
    void envelopesAreSignedOverTheCanonicalPayload() {
        SigningKey key = SigningKey.generate(SignatureAlgorithm.ES256);
        Map<String, Object> env = PartnerClient.sign("acme", key, Map.of("type", "site.register", "site", "s"));
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = (Map<String, Object>) env.get("payload");
        @SuppressWarnings("unchecked")
        Map<String, Object> sig = (Map<String, Object>) env.get("signature");
        assertEquals("acme", payload.get("actor"));
        assertTrue(key.verificationKey().verify(Jcs.canonicalize(payload), Base64.getDecoder().decode((String) sig.get("value"))));
    }
}
