package org.fabtrail.ledger.merkle;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every upstream probe file (transparency-dev/merkle testdata): the verifier must accept a
 * file exactly when {@code wantErr} is false, and must reject the others with {@link ProofException}
 * rather than any unchecked exception.
 */
class ProbeVectorTest {

    @Test
    void everyProbeFileIsPresent() {
        assertEquals(98, Vectors.probeFiles("inclusion").size(), "inclusion probe files");
        assertEquals(98, Vectors.probeFiles("consistency").size(), "consistency probe files");
    }

    static Stream<Arguments> probes() {
        return Stream.concat(probes("inclusion"), probes("consistency"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("probes")
    void probe(String name, Path file) {
        JsonNode v = Vectors.read(file);
        if (name.startsWith("inclusion/")) {
            inclusion(v);
        } else {
            consistency(v);
        }
    }

    private static void inclusion(JsonNode v) {
        long index = v.get("leafIdx").asLong();
        long size = v.get("treeSize").asLong();
        byte[] leafHash = Vectors.b64(v.get("leafHash"));
        List<byte[]> proof = Vectors.b64List(v.get("proof"));
        byte[] root = Vectors.b64(v.get("root"));
        assertVerdict(v, () -> Proofs.verifyInclusion(index, size, leafHash, proof, root),
                () -> assertEquals(Vectors.HEX.formatHex(root), Vectors.HEX.formatHex(
                        assertDoesNotThrow(() -> Proofs.rootFromInclusionProof(index, size, leafHash, proof)))),
                () -> Reference.verifyInclusion(index, size, leafHash, proof, root));
    }

    private static void consistency(JsonNode v) {
        long size1 = v.get("size1").asLong();
        long size2 = v.get("size2").asLong();
        byte[] root1 = Vectors.b64(v.get("root1"));
        byte[] root2 = Vectors.b64(v.get("root2"));
        List<byte[]> proof = Vectors.b64List(v.get("proof"));
        assertVerdict(v, () -> Proofs.verifyConsistency(size1, size2, root1, root2, proof), () -> { },
                () -> Reference.verifyConsistency(size1, size2, root1, root2, proof));
    }

    /**
     * {@code verify} throws ProofException exactly when the probe wants an error; when it accepts, {@code accepted}
     * holds too; the reference verifier agrees with wantErr.
     */
    private static void assertVerdict(JsonNode v, Executable verify, Runnable accepted, BooleanSupplier reference) {
        if (v.get("wantErr").asBoolean()) {
            assertThrows(ProofException.class, verify, v.get("desc").asText());
        } else {
            assertDoesNotThrow(verify);
            accepted.run();
        }
        assertEquals(!v.get("wantErr").asBoolean(), reference.getAsBoolean(), "the reference verifier agrees with wantErr");
    }

    private static Stream<Arguments> probes(String kind) {
        Path dir = Vectors.probeDir(kind);
        return Vectors.probeFiles(kind).stream().map(f -> Arguments.of(kind + "/" + dir.relativize(f), f));
    }
}
