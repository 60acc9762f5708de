package org.fabtrail.web.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.fabtrail.testing.ParserFuzzTest;
import org.fabtrail.web.UploadMessages;

/**
 * Fuzzes the bulk-registration CSV ({@link BulkCsv#rows}). An input whose first byte is even is CSV text (UTF-8,
 * after that byte): rows or a {@link BulkCsv.FileProblem}, and a row either has every required column or says what
 * is wrong with it. An odd first byte makes the rest rows (separated by U+001E) of a reason and the six data values
 * (separated by U+001F) written as the upload page writes {@code rejected.csv}; the file reads back with every value
 * as written, since the page says it "can be corrected and uploaded as it is".
 * Seeds: {@code BulkCsvFuzzTestInputs/rows}.
 */
class BulkCsvFuzzTest {

    private static final Set<String> COLUMNS = Set.of("serial", "kind", "model", "eccn", "site",
            BulkCsv.CERTIFICATE, "row", "reason");
    /** The file problems' texts without Quarkus: each text is its key (this test reads only that there is one). */
    private static final UploadMessages TEXTS = (UploadMessages) Proxy.newProxyInstance(
            UploadMessages.class.getClassLoader(), new Class<?>[] {UploadMessages.class},
            (proxy, method, args) -> method.getName());

    @ParserFuzzTest
    void rows(byte[] input) {
        String text = input.length == 0 ? "" : new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        if (input.length == 0 || input[0] % 2 == 0) {
            read(text);
        } else {
            rejectedCsvReadsBack(text);
        }
    }

    private static void read(String text) {
        List<BulkCsv.Row> rows;
        try {
            rows = BulkCsv.rows(text, TEXTS);
        } catch (BulkCsv.FileProblem problem) {
            assertFalse(problem.getMessage().isBlank());
            return;
        }
        int previous = 1;
        for (BulkCsv.Row row : rows) {
            assertTrue(row.row() > previous, "row numbers out of order");
            previous = row.row();
            assertTrue(COLUMNS.containsAll(row.values().keySet()), row.values().keySet().toString());
            if (row.problem() == null) {
                assertTrue(row.values().keySet().containsAll(BulkCsv.REQUIRED), row.values().keySet().toString());
            }
        }
    }

    private static void rejectedCsvReadsBack(String text) {
        StringBuilder csv = new StringBuilder(BulkCsv.line(BulkCsv.REJECTED_HEADER));
        List<List<String>> written = new ArrayList<>();
        int row = 2;
        for (String r : text.split("\u001E", -1)) {
            List<String> fields = new ArrayList<>(Arrays.asList(r.split("\u001F", -1)));
            while (fields.size() < 7) {
                fields.add("");
            }
            List<String> values = fields.subList(1, 7); // serial, kind, model, eccn, site, deviceCertificate
            written.add(List.copyOf(values));
            List<String> line = new ArrayList<>(List.of(Integer.toString(row++), fields.get(0)));
            line.addAll(values);
            csv.append(BulkCsv.line(line));
        }
        List<BulkCsv.Row> rows;
        try {
            rows = BulkCsv.rows(csv.toString(), TEXTS);
        } catch (BulkCsv.FileProblem problem) {
            throw new AssertionError("a rejected.csv is refused: " + problem.getMessage());
        }
        assertEquals(written.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            BulkCsv.Row read = rows.get(i);
            assertNull(read.problem());
            assertEquals(written.get(i), List.of(read.get("serial"), read.get("kind"), read.get("model"),
                    read.get("eccn"), read.get("site"), read.get(BulkCsv.CERTIFICATE)),
                    "row " + read.row() + " reads back differently");
        }
    }
}
