package org.fabtrail.ledger.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.fabtrail.crypto.SigningKey;
import org.fabtrail.crypto.TestResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CheckpointTest {

    private static final String ROOT_B64 = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
    private static final byte[] ROOT = Base64.getDecoder().decode(ROOT_B64);
    private static final NoteSigner LOG = new NoteSigner("fabtrail.local/log", SigningKey.ed25519FromSeed(new byte[32]));

    @Test
    void theTlogCheckpointSpecExampleParses() {
        byte[] note = NoteTest.firstFencedBlock(TestResources.utf8("vectors/c2sp/released/tlog-checkpoint@v1.0.0.md"))
                .getBytes(StandardCharsets.UTF_8);

        Note parsed = Note.parse(note);
        Checkpoint checkpoint = Checkpoint.parse(parsed.text());

        assertEquals("example.com/behind-the-sofa", checkpoint.origin());
        assertEquals(20852163L, checkpoint.size());
        assertArrayEquals(ROOT, checkpoint.rootHash());
        assertEquals(List.of(), checkpoint.extensions());
        assertEquals(parsed.text(), checkpoint.body());
        assertEquals("example.com/behind-the-sofa", parsed.signatures().get(0).name());
        // Published without its key: the signature cannot be verified, so opening must fail.
        assertThrows(NoteVerificationException.class, () -> Notes.open(note, List.of(LOG.verifier())));
    }

    @Test
    void theCosignedCheckpointExampleParsesWithBothSignatures() {
        byte[] note = NoteTest.firstFencedBlock(TestResources.utf8("vectors/c2sp/released/tlog-cosignature@v1.0.1.md"))
                .getBytes(StandardCharsets.UTF_8);

        Note parsed = Note.parse(note);

        assertEquals(List.of("example.com/behind-the-sofa", "witness.example.com/w1"),
                parsed.signatures().stream().map(NoteSignature::name).collect(java.util.stream.Collectors.toList()));
        assertEquals(72, parsed.signatures().get(1).signature().length, "timestamped cosignature: 8 + 64 bytes");
        assertEquals(20852163L, Checkpoint.parse(parsed.text()).size());
    }

    @Test
    void bodyHasTheSpecifiedLayoutAndRoundTrips() {
        Checkpoint checkpoint = new Checkpoint("fabtrail.local/log", 42, ROOT);
        Checkpoint withExtensions = new Checkpoint("fabtrail.local/log", 0, ROOT, List.of("ext one", "ext-two"));

        assertEquals("fabtrail.local/log\n42\n" + ROOT_B64 + "\n", checkpoint.body());
        assertEquals("fabtrail.local/log\n0\n" + ROOT_B64 + "\next one\next-two\n", withExtensions.body());
        assertEquals(checkpoint, Checkpoint.parse(checkpoint.body()));
        assertEquals(withExtensions, Checkpoint.parse(withExtensions.body()));
        assertNotEquals(checkpoint, withExtensions);
        assertEquals(checkpoint.hashCode(), Checkpoint.parse(checkpoint.body()).hashCode());
    }

    @Test
    void signedCheckpointsOpenWithTheLogKeyAndTheirOrigin() {
        Checkpoint checkpoint = new Checkpoint("fabtrail.local/log", Long.MAX_VALUE, ROOT);
        byte[] note = checkpoint.sign(LOG);

        assertEquals(checkpoint, Checkpoint.open(note, "fabtrail.local/log", List.of(LOG.verifier())));
        NoteFormatException wrongLog = assertThrows(NoteFormatException.class,
                () -> Checkpoint.open(note, "other.example/log", List.of(LOG.verifier())));
        assertTrue(wrongLog.getMessage().contains("not the expected"), wrongLog.getMessage());
        assertThrows(NoteVerificationException.class, () -> Checkpoint.open(note, "fabtrail.local/log",
                List.of(new NoteSigner("fabtrail.local/log", SigningKey.ed25519FromSeed(NoteTest.seed(9))).verifier())));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing final newline   | o\\n1\\n" + ROOT_B64 + "                | end with a newline",
        "two lines               | o\\n1\\n                                 | at least three lines",
        "empty body              | ''                                      | end with a newline",
        "empty origin            | \\n1\\n" + ROOT_B64 + "\\n              | origin is empty",
        "leading zero            | o\\n01\\n" + ROOT_B64 + "\\n            | leading zero",
        "zero zero               | o\\n00\\n" + ROOT_B64 + "\\n            | leading zero",
        "negative size           | o\\n-1\\n" + ROOT_B64 + "\\n            | decimal digits",
        "plus sign               | o\\n+1\\n" + ROOT_B64 + "\\n            | decimal digits",
        "space before size       | o\\n 1\\n" + ROOT_B64 + "\\n            | decimal digits",
        "decimal point           | o\\n1.0\\n" + ROOT_B64 + "\\n           | decimal digits",
        "hex size                | o\\n0x1\\n" + ROOT_B64 + "\\n           | leading zero",
        "non-ASCII digit         | o\\n\u0661\\n" + ROOT_B64 + "\\n        | decimal digits",
        "size above long         | o\\n9223372036854775808\\n" + ROOT_B64 + "\\n | too large",
        "size above uint64       | o\\n18446744073709551616\\n" + ROOT_B64 + "\\n | too large",
        "empty size              | o\\n\\n" + ROOT_B64 + "\\n              | line 2 is empty",
        "short root              | o\\n1\\nAAAA\\n                         | 32 bytes",
        "long root               | o\\n1\\n" + ROOT_B64 + "AAAA\\n         | base64",
        "unpadded root           | o\\n1\\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\\n | base64",
        "url-safe root           | o\\n1\\nCsUYapGGPo4dkMgIAUqom_Xajj7h2fB2MPA3j2jxq2I=\\n | base64",
        "empty extension line    | o\\n1\\n" + ROOT_B64 + "\\n\\n          | line 4 is empty",
        "empty line after ext    | o\\n1\\n" + ROOT_B64 + "\\next\\n\\n     | line 5 is empty",
        "control char in origin  | o\\u0007\\n1\\n" + ROOT_B64 + "\\n       | control character",
        "CR line ending          | o\\r\\n1\\r\\n" + ROOT_B64 + "\\r\\n     | control character",
    })
    void malformedBodiesAreRejected(String what, String escapedBody, String messagePart) {
        String body = unescape(escapedBody.strip());
        NoteFormatException e = assertThrows(NoteFormatException.class, () -> Checkpoint.parse(body));
        assertTrue(e.getMessage().contains(messagePart), what + ": " + e.getMessage());
    }

    @Test
    void sizeZeroAndTheLargestLongAreAccepted() {
        assertEquals(0, Checkpoint.parse("o\n0\n" + ROOT_B64 + "\n").size());
        assertEquals(Long.MAX_VALUE, Checkpoint.parse("o\n9223372036854775807\n" + ROOT_B64 + "\n").size());
        assertEquals("o with spaces+and plus", Checkpoint.parse("o with spaces+and plus\n1\n" + ROOT_B64 + "\n").origin(),
                "the origin's URL shape is only a recommendation");
    }

    @Test
    void theConstructorEnforcesTheSameRules() {
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint("", 1, ROOT));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint("a\nb", 1, ROOT));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint("o", -1, ROOT));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint("o", 1, new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint("o", 1, ROOT, List.of("")));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint("o", 1, ROOT, List.of("a\nb")));
        byte[] root = ROOT.clone();
        Checkpoint checkpoint = new Checkpoint("o", 1, root);
        root[0] ^= 1;
        checkpoint.rootHash()[1] ^= 1;
        assertArrayEquals(ROOT, checkpoint.rootHash(), "defensive copies");
    }

    private static String unescape(String s) {
        if (s.equals("''")) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && s.charAt(i + 1) == 'n') {
                sb.append('\n');
                i++;
            } else if (c == '\\' && s.charAt(i + 1) == 'r') {
                sb.append('\r');
                i++;
            } else if (c == '\\' && s.charAt(i + 1) == 'u') {
                sb.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
