package org.fabtrail.discrepancy;

import org.fabtrail.ledger.SafeText;
import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The name and media type a document is stored and answered with: a note quotes the name in the log, so it must be
 * text the ledger accepts whatever the upload said (no C1 control, no lone surrogate, not even one made by cutting
 * a long name), and the media type is shown back, so it holds printable ASCII only.
 */
class DocumentNamesTest {

    /** Pairs of what was given and what is kept. */
    private static void keeps(UnaryOperator<String> clean, String... givenThenKept) {
        for (int i = 0; i < givenThenKept.length; i += 2) {
            assertEquals(givenThenKept[i + 1], clean.apply(givenThenKept[i]), "for " + givenThenKept[i]);
        }
    }

    @Test
    void aNameKeepsOnlyWhatTheLedgerAcceptsInText() {
        keeps(Documents::cleanName,
                "C:\\scans\\..\\customs release.pdf", "customs release.pdf",
                "a\u0000\u0085\"b.pdf", "ab.pdf",
                "a\uD800b\uFFFE", "ab",
                "\u0009\u009F", "document",
                null, "document",
                "\u00e9".repeat(300), "\u00e9".repeat(200),
                // never cut inside a character: that would leave a lone surrogate
                "a".repeat(199) + "\uD83D\uDE00.pdf", "a".repeat(199),
                "a".repeat(198) + "\uD83D\uDE00.pdf", "a".repeat(198) + "\uD83D\uDE00");
        assertTrue(SafeText.isSingleLine(Documents.cleanName("a".repeat(199) + "\uD83D\uDE00")));
    }

    @Test
    void aMediaTypeIsPrintableAsciiOrOctetStream() {
        String none = "application/octet-stream";
        keeps(Documents::cleanType,
                " application/pdf ", "application/pdf",
                "text/plain; charset=\"x\"", "text/plain; charset=\"x\"",
                "text/plain; charset=\"\u00c3\u00a9\"", none,
                "text/plain\u0085", none,
                "text/\u0000", none,
                null, none,
                "x/" + "y".repeat(99), none);
    }
}
