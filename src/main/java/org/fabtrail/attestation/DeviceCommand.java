package org.fabtrail.attestation;

import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.KeyFormatException;
import org.fabtrail.crypto.Pem;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar quarkus-run.jar device ...}: a device simulator for demos and tests (docs/inspectors.md).
 *
 * <pre>
 * device KEY CERT MANUFACTURER SERIAL CHALLENGE   answer a challenge: prints {"alg","chain","signature"}
 * device new-ca DIR [--name DN] [--alg ES256|Ed25519] [--days N] [--issuer CA_DIR] [--path-len N]
 * device new-device CA_DIR ORG SERIAL OUT_DIR [--alg Ed25519|ES256] [--days N]
 * </pre>
 *
 * <p>KEY is the device's PKCS#8 private key (Ed25519 or P-256), CERT a PEM file with the device certificate first
 * and then the intermediates it presents, CHALLENGE the challenge in base64 as the ledger issued it. The answer is
 * what goes into an inspection's {@code attestation} (with the challenge's id). {@code new-ca} and
 * {@code new-device} make a test PKI: CA certificates to register with {@code ca.add}, device keys and certificates
 * with the serial as subject serialNumber, to register with {@code unit.register} or {@code unit.certify}. Private
 * keys are written readable by their owner only.
 */
public final class DeviceCommand {

    static final String USAGE = String.join("\n",
            "usage: java -jar quarkus-run.jar device KEY CERT MANUFACTURER SERIAL CHALLENGE",
            "       java -jar quarkus-run.jar device new-ca DIR [--name DN] [--alg ES256|Ed25519] [--days N] "
                    + "[--issuer CA_DIR] [--path-len N]",
            "       java -jar quarkus-run.jar device new-device CA_DIR ORG SERIAL OUT_DIR [--alg Ed25519|ES256] [--days N]",
            "",
            "  KEY        the device's private key (PKCS#8 PEM, Ed25519 or P-256)",
            "  CERT       PEM file: the device certificate, then the intermediates the device presents",
            "  CHALLENGE  the challenge, base64, as POST /api/v1/attestations/challenges answered it",
            "Answers {\"alg\", \"chain\", \"signature\"}: the device's signature over SHA-256(\"fabtrail-attest-v1\" 0x00",
            "MANUFACTURER 0x00 SERIAL 0x00 CHALLENGE) and the chain it presents.");

    private static final Pattern CERTIFICATE = Pattern.compile(
            "-----BEGIN CERTIFICATE-----\\r?\\n[A-Za-z0-9+/=\\r\\n]+-----END CERTIFICATE-----\\r?\\n?");

    private DeviceCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 0 || List.of("help", "--help", "-h").contains(args[0])) {
                out.println(USAGE);
                return args.length == 0 ? 2 : 0;
            }
            return switch (args[0]) {
                case "new-ca" -> newCa(args, out);
                case "new-device" -> newDevice(args, out);
                case "sign", "respond" -> respond(List.of(args).subList(1, args.length), out);
                default -> respond(List.of(args), out);
            };
        } catch (Usage u) {
            err.println(u.getMessage());
            err.println(USAGE);
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("device: " + e.getMessage());
            return 1;
        }
    }

    private static final class Usage extends RuntimeException {
        Usage(String message) {
            super(message);
        }
    }

    private static int respond(List<String> args, PrintStream out) throws IOException {
        if (args.size() != 5) {
            throw new Usage("device: expected KEY CERT MANUFACTURER SERIAL CHALLENGE");
        }
        SigningKey key = readKey(Path.of(args.get(0)));
        List<String> chain = certificates(Files.readString(Path.of(args.get(1)), StandardCharsets.US_ASCII));
        byte[] challenge;
        try {
            challenge = Base64.getDecoder().decode(args.get(4).trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the challenge is not base64: " + e.getMessage());
        }
        out.println(Jcs.canonicalString(DeviceSimulator.respond(key, chain, args.get(2), args.get(3), challenge)));
        return 0;
    }

    private static int newCa(String[] args, PrintStream out) throws IOException {
        Options o = new Options(args, 2, Map.of("--name", "CN=Fabtrail Test Device CA,O=Fabtrail Test", "--alg", "ES256",
                "--days", "3650"), List.of("--issuer", "--path-len"));
        Path dir = Path.of(o.positional.get(0));
        DeviceCertificates.Spec spec = DeviceCertificates.Spec.ca(o.get("--name")).validity(start(),
                start().plus(Duration.ofDays(o.days())));
        if (o.has("--path-len")) {
            spec.pathLen(Integer.parseInt(o.get("--path-len")));
        }
        SigningKey key = SigningKey.generate(o.alg());
        StringBuilder intermediates = new StringBuilder();
        DeviceCertificates.Issued ca;
        if (o.has("--issuer")) {
            Path issuerDir = Path.of(o.get("--issuer"));
            DeviceCertificates.Issued issuer = readCa(issuerDir);
            ca = DeviceCertificates.issue(spec, key, issuer);
            intermediates.append(ca.pem());
            Path parent = issuerDir.resolve("intermediates.pem");
            if (Files.exists(parent)) {
                intermediates.append(Files.readString(parent, StandardCharsets.US_ASCII));
            }
        } else {
            ca = DeviceCertificates.selfSigned(spec, key);
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("ca.pem"), ca.pem(), StandardCharsets.US_ASCII);
        writePrivate(dir.resolve("ca.key.pem"), key.toPkcs8Pem());
        if (!intermediates.isEmpty()) {
            Files.writeString(dir.resolve("intermediates.pem"), intermediates.toString(), StandardCharsets.US_ASCII);
        }
        out.println("wrote " + dir.resolve("ca.pem") + " (" + ca.subject() + ", ca.add it as the manufacturer) and "
                + dir.resolve("ca.key.pem"));
        return 0;
    }

    private static int newDevice(String[] args, PrintStream out) throws IOException {
        Options o = new Options(args, 5, Map.of("--alg", "Ed25519", "--days", "1825"), List.of());
        Path caDir = Path.of(o.positional.get(0));
        String org = o.positional.get(1);
        String serial = o.positional.get(2);
        Path dir = Path.of(o.positional.get(3));
        DeviceCertificates.Issued ca = readCa(caDir);
        SigningKey key = SigningKey.generate(o.alg());
        DeviceCertificates.Issued device = DeviceCertificates.issue(DeviceCertificates.Spec.device(org, serial)
                .validity(start(), start().plus(Duration.ofDays(o.days()))), key, ca);
        Path intermediates = caDir.resolve("intermediates.pem");
        String chain = device.pem() + (Files.exists(intermediates)
                ? Files.readString(intermediates, StandardCharsets.US_ASCII) : "");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(serial + ".pem"), chain, StandardCharsets.US_ASCII);
        writePrivate(dir.resolve(serial + ".key.pem"), key.toPkcs8Pem());
        out.println("wrote " + dir.resolve(serial + ".pem") + " (the device certificate for " + org + "/" + serial
                + ", then its intermediates) and " + dir.resolve(serial + ".key.pem"));
        return 0;
    }

    private static Instant start() {
        return Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    }

    private static DeviceCertificates.Issued readCa(Path dir) throws IOException {
        List<String> pems = certificates(Files.readString(dir.resolve("ca.pem"), StandardCharsets.US_ASCII));
        byte[] der = Pem.decode(pems.get(0), "CERTIFICATE");
        SigningKey key = readKey(dir.resolve("ca.key.pem"));
        String subject = X509DeviceIdentity.name(X509DeviceIdentity.certificate(der).getSubjectX500Principal());
        return new DeviceCertificates.Issued(der, key, subject);
    }

    static SigningKey readKey(Path file) throws IOException {
        try {
            return SigningKey.fromPkcs8Pem(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (KeyFormatException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    /** Every PEM CERTIFICATE block of the text, in order. */
    static List<String> certificates(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = CERTIFICATE.matcher(text);
        while (m.find()) {
            String block = m.group().replace("\r\n", "\n");
            out.add(block.endsWith("\n") ? block : block + "\n");
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no PEM CERTIFICATE block found");
        }
        return out;
    }

    private static void writePrivate(Path file, String pem) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }

    /** Positional arguments and {@code --name value} options. */
    private static final class Options {
        final List<String> positional = new ArrayList<>();
        final Map<String, String> values;

        Options(String[] args, int positionals, Map<String, String> defaults, List<String> optional) {
            values = new LinkedHashMap<>(defaults);
            for (int i = 1; i < args.length; i++) {
                if (args[i].startsWith("--")) {
                    if (!defaults.containsKey(args[i]) && !optional.contains(args[i])) {
                        throw new Usage("device " + args[0] + ": unknown option " + args[i]);
                    }
                    if (i + 1 >= args.length) {
                        throw new Usage("device " + args[0] + ": " + args[i] + " needs a value");
                    }
                    values.put(args[i], args[++i]);
                } else {
                    positional.add(args[i]);
                }
            }
            if (positional.size() != positionals - 1) {
                throw new Usage("device " + args[0] + ": expected " + (positionals - 1) + " arguments");
            }
        }

        boolean has(String name) {
            return values.containsKey(name);
        }

        String get(String name) {
            return values.get(name);
        }

        int days() {
            return Integer.parseInt(get("--days"));
        }

        SignatureAlgorithm alg() {
            return SignatureAlgorithm.fromWireName(get("--alg")).orElseThrow(() ->
                    new Usage("--alg is Ed25519 or ES256, not " + get("--alg")));
        }
    }
}
