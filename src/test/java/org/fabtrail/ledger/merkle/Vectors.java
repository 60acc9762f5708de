package org.fabtrail.ledger.merkle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Loads the transparency-dev/merkle vectors copied byte-exact into src/test/resources. */
final class Vectors {

    static final String ROOT = "vectors/transparency-dev-merkle/";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HexFormat HEX = HexFormat.of();

    private Vectors() {
    }

    static JsonNode classic() {
        try (InputStream in = resource(ROOT + "rfc6962-classic-vectors.json").openStream()) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every {@code *.json} file under {@code inclusion/} or {@code consistency/}, sorted by path. */
    static List<Path> probeFiles(String kind) {
        try (Stream<Path> files = Files.walk(probeDir(kind))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The probe directory on the test classpath (a plain directory under target/test-classes). */
    static Path probeDir(String kind) {
        try {
            return Path.of(resource(ROOT + kind).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] hex(JsonNode node) {
        return HEX.parseHex(node.asText());
    }

    static List<byte[]> hexList(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        array.forEach(n -> out.add(hex(n)));
        return out;
    }

    static byte[] b64(JsonNode node) {
        return Base64.getDecoder().decode(node.asText());
    }

    /** A JSON array of base64 hashes; upstream writes {@code null} for an empty proof. */
    static List<byte[]> b64List(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        if (array != null && !array.isNull()) {
            array.forEach(n -> out.add(b64(n)));
        }
        return out;
    }

    static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(HEX::formatHex).collect(Collectors.toList());
    }

    private static URL resource(String name) {
        URL url = Vectors.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("missing test resource " + name);
        }
        return url;
    }
}
