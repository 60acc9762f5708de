package org.fabtrail.client;

import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.crypto.StrictJson;
import org.fabtrail.ledger.checkpoint.Checkpoint;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The partner client's command line ({@code java -jar target/fabtrail-client.jar …}); docs/api.md, "Integrating an
 * ERP", walks through it. Exit status 0 when everything was accepted and verified, 1 when the log refused entries,
 * 2 for a usage error, 3 when something the log answered did not verify.
 */
public final class ClientMain {

    static final String USAGE = """
            usage: java -jar fabtrail-client.jar <command> [options]
              keygen --out <key.pem> [--alg Ed25519|ES256]
                  make a signing key: writes the private key (PKCS#8 PEM, mode 600), prints the public key and its key id
              submit --url <server> --key <key.pem> --actor <org> --log-key <vkey or file> [--state <file>] <file>...
                  sign and submit the entries of JSON (an array, or one object per line), CSV or EPCIS 2.0 (.jsonld, an
                  EPCISDocument; 100 events per epcis.capture entry) files, verifying every answer; the signed envelopes are kept in <file>.signed.jsonl, so running it again re-sends the same
                  entries (answered 200, never appended twice)
              check-log --url <server> --log-key <vkey or file> [--state <file>]
                  verify the current checkpoint and that it extends the newest one seen before
              bundle --url <server> --log-key <vkey or file> [--state <file>] [--out <file>] <manufacturer> <serial>
                  fetch a unit's offline bundle and verify it
              verify-bundle --log-key <vkey or file> <bundle file>
                  verify a saved bundle offline
            The API token is read from the environment variable FABTRAIL_TOKEN (never from the command line).""";

    private ClientMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv("FABTRAIL_TOKEN"), System.out, System.err));
    }

    /** Runs one command; returns the exit status. */
    public static int run(String[] args, String token, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        Map<String, String> opt = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                if (i + 1 >= args.length) {
                    err.println(args[i] + " needs a value\n" + USAGE);
                    return 2;
                }
                opt.put(args[i].substring(2), args[++i]);
            } else {
                rest.add(args[i]);
            }
        }
        try {
            return switch (args[0]) {
                case "keygen" -> keygen(opt, out);
                case "submit" -> submit(opt, rest, token, out);
                case "check-log" -> checkLog(opt, token, out);
                case "bundle" -> bundle(opt, rest, token, out);
                case "verify-bundle" -> verifyBundle(opt, rest, out);
                default -> {
                    err.println("unknown command " + args[0] + "\n" + USAGE);
                    yield 2;
                }
            };
        } catch (Usage e) {
            err.println(e.getMessage() + "\n" + USAGE);
            return 2;
        } catch (ReceiptVerifier.VerificationFailed e) {
            err.println("NOT VERIFIED: " + e.getMessage());
            return 3;
        } catch (IOException | RuntimeException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted");
            return 1;
        }
    }

    private static final class Usage extends RuntimeException {
        Usage(String message) {
            super(message);
        }
    }

    private static String required(Map<String, String> opt, String name) {
        String v = opt.get(name);
        if (v == null) {
            throw new Usage("--" + name + " is required");
        }
        return v;
    }

    /** The log key: a vkey given directly, or a file holding one. */
    private static String logKey(Map<String, String> opt) throws IOException {
        String v = required(opt, "log-key");
        Path p = Path.of(v);
        return v.contains("+") && !Files.exists(p) ? v : Files.readString(p).trim();
    }

    private static Path state(Map<String, String> opt) {
        return opt.containsKey("state") ? Path.of(opt.get("state")) : null;
    }

    private static int keygen(Map<String, String> opt, PrintStream out) throws IOException {
        Path file = Path.of(required(opt, "out"));
        if (Files.exists(file)) {
            throw new Usage(file + " exists; a key is never overwritten");
        }
        SignatureAlgorithm alg = switch (opt.getOrDefault("alg", "Ed25519")) {
            case "Ed25519" -> SignatureAlgorithm.ED25519;
            case "ES256" -> SignatureAlgorithm.ES256;
            default -> throw new Usage("--alg is Ed25519 or ES256");
        };
        SigningKey key = SigningKey.generate(alg);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, key.toPkcs8Pem());
        out.println("private key written to " + file + " (keep it secret; the log never sees it)");
        out.println("key id: " + key.keyId());
        out.print(key.verificationKey().toPem());
        return 0;
    }

    private static int submit(Map<String, String> opt, List<String> files, String token, PrintStream out) throws IOException,
            InterruptedException {
        if (files.isEmpty()) {
            throw new Usage("name at least one file of entries");
        }
        String actor = required(opt, "actor");
        SigningKey key = SigningKey.fromPkcs8Pem(Files.readString(Path.of(required(opt, "key"))));
        PartnerClient client = new PartnerClient(required(opt, "url"), token, logKey(opt), state(opt));
        int refused = 0;
        for (String f : files) {
            List<Map<String, Object>> envelopes = signedOnce(Path.of(f), actor, key);
            out.printf("%s: %d entries%n", f, envelopes.size());
            List<PartnerClient.Outcome> outcomes = client.submit(envelopes, p -> out.printf("  %d/%d answered, %d refused%n",
                    p.answered(), p.total(), p.refused()));
            for (int i = 0; i < outcomes.size(); i++) {
                PartnerClient.Outcome o = outcomes.get(i);
                if (o.accepted()) {
                    out.printf("  entry %d: %s at index %d%s%n", i + 1, o.id(), o.receipt().index(),
                            o.status() == 200 ? " (sent before)" : "");
                } else {
                    refused++;
                    out.printf("  entry %d: %s refused, %d %s: %s%n", i + 1, o.id(), o.status(), o.problem().get("type"),
                            o.problem().get("detail"));
                }
            }
        }
        Checkpoint cp = client.newest();
        out.printf("every answer verified; newest checkpoint: size %d%s%n", cp == null ? 0 : cp.size(),
                refused > 0 ? "; " + refused + " entries refused" : "");
        return refused > 0 ? 1 : 0;
    }

    /**
     * The file's entries signed once: the envelopes are kept next to it in {@code <file>.signed.jsonl}, headed by the
     * file's SHA-256, and read from there when the file is unchanged, so a second run sends the same envelopes.
     */
    static List<Map<String, Object>> signedOnce(Path file, String actor, SigningKey key) throws IOException {
        byte[] content = Files.readAllBytes(file);
        String digest = sha256(content);
        Path journal = file.resolveSibling(file.getFileName() + ".signed.jsonl");
        if (Files.exists(journal)) {
            List<String> lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
            if (!lines.isEmpty() && lines.get(0).equals("# sha256 " + digest)) {
                List<Map<String, Object>> envelopes = new ArrayList<>();
                for (String line : lines.subList(1, lines.size())) {
                    envelopes.add(ReceiptVerifier.asObject(StrictJson.parse(line), "a signed envelope"));
                }
                return envelopes;
            }
        }
        List<Map<String, Object>> envelopes = new ArrayList<>();
        StringBuilder text = new StringBuilder("# sha256 ").append(digest).append('\n');
        for (Map<String, Object> fields : EntryFiles.read(file.getFileName().toString(), new String(content, StandardCharsets.UTF_8))) {
            Map<String, Object> envelope = PartnerClient.sign(actor, key, fields);
            envelopes.add(envelope);
            text.append(Jcs.canonicalString(envelope)).append('\n');
        }
        Files.writeString(journal, text);
        return envelopes;
    }

    private static int checkLog(Map<String, String> opt, String token, PrintStream out) throws IOException, InterruptedException {
        PartnerClient client = new PartnerClient(required(opt, "url"), token, logKey(opt), state(opt));
        Checkpoint before = client.newest();
        Checkpoint now = client.checkLog();
        out.printf("checkpoint verified: size %d, root %s%s%n", now.size(), HexFormat.of().formatHex(now.rootHash()),
                before == null ? "" : "; consistent with the one seen before (size " + before.size() + ")");
        return 0;
    }

    private static int bundle(Map<String, String> opt, List<String> rest, String token, PrintStream out) throws IOException,
            InterruptedException {
        if (rest.size() != 2) {
            throw new Usage("bundle takes a manufacturer and a serial");
        }
        PartnerClient client = new PartnerClient(required(opt, "url"), token, logKey(opt), state(opt));
        ReceiptVerifier.VerifiedBundle b = client.bundle(rest.get(0), rest.get(1),
                opt.containsKey("out") ? Path.of(opt.get("out")) : null);
        printBundle(b, out);
        return 0;
    }

    private static int verifyBundle(Map<String, String> opt, List<String> rest, PrintStream out) throws IOException {
        if (rest.size() != 1) {
            throw new Usage("verify-bundle takes one bundle file");
        }
        printBundle(new ReceiptVerifier(logKey(opt)).bundle(Files.readString(Path.of(rest.get(0)))), out);
        return 0;
    }

    private static void printBundle(ReceiptVerifier.VerifiedBundle b, PrintStream out) {
        out.printf("bundle verified against checkpoint %d: %d entries%n", b.checkpoint().size(), b.indexes().size());
        for (int i = 0; i < b.indexes().size(); i++) {
            out.printf("  %d %s%n", b.indexes().get(i), b.types().get(i));
        }
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
