package org.fabtrail.custody;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.fabtrail.testing.ParserFuzzTest;

/**
 * Fuzzes {@link Csv}, the CSV reader of the bulk upload and the restricted-party import. The first input byte picks
 * how the rest (UTF-8) is used:
 * <ul>
 *   <li>{@code 0}: as CSV text: records or {@link Csv.Unclosed}, nothing else;</li>
 *   <li>{@code 1}: as rows (separated by U+001E) of fields (separated by U+001F) written with {@link Csv#line}: they
 *       read back field for field, as a corrected export must;</li>
 *   <li>{@code 2}: as {@code prefix U+001F unit U+001F times U+001F suffix}: the unit repeated up to a million times
 *       (megabytes, as an upload may be), which must still be read within the per-input timeout: reading is
 *       linear.</li>
 * </ul>
 * (The byte is taken modulo 3, so the digits {@code '0'}, {@code '1'}, {@code '2'} select the same.) Seeds:
 * {@code CsvFuzzTestInputs/records}.
 */
class CsvFuzzTest {

    static final char ROW = '\u001E';
    static final char FIELD = '\u001F';

    @ParserFuzzTest
    void records(byte[] input) {
        if (input.length == 0) {
            read("");
            return;
        }
        String text = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        switch (Byte.toUnsignedInt(input[0]) % 3) {
            case 0 -> read(text);
            case 1 -> roundTrip(text);
            default -> read(amplified(text));
        }
    }

    /** {@code prefix, unit, times, suffix} separated by U+001F: prefix + unit * min(times, 10^6) + suffix. */
    static String amplified(String text) {
        String[] parts = text.split(String.valueOf(FIELD), 4);
        String digits = parts.length > 2 ? parts[2].replaceAll("[^0-9]", "") : "";
        int times = digits.isEmpty() ? 0 : (int) Math.min(1_000_000, Long.parseLong(
                digits.substring(0, Math.min(digits.length(), 7))));
        return parts[0] + (parts.length > 1 ? parts[1].repeat(times) : "") + (parts.length > 3 ? parts[3] : "");
    }

    private static void read(String text) {
        List<Csv.Record> records;
        try {
            records = Csv.records(text);
        } catch (Csv.Unclosed unclosed) {
            assertNotNull(unclosed.getMessage());
            return;
        }
        int previous = 0;
        for (Csv.Record r : records) {
            assertTrue(r.line() > previous, "records out of line order");
            previous = r.line();
            assertTrue(!r.fields().isEmpty() && !r.fields().equals(List.of("")), "a blank line became a record");
            r.fields().forEach(f -> assertNotNull(f));
        }
    }

    private static void roundTrip(String text) {
        List<List<String>> rows = new ArrayList<>();
        StringBuilder csv = new StringBuilder();
        for (String row : text.split(String.valueOf(ROW), -1)) {
            List<String> fields = List.of(row.split(String.valueOf(FIELD), -1));
            csv.append(Csv.line(fields));
            if (!fields.equals(List.of(""))) { // a row of one empty field is a blank line, which readers skip
                rows.add(fields);
            }
        }
        List<List<String>> read = new ArrayList<>();
        try {
            Csv.records(csv.toString()).forEach(r -> read.add(r.fields()));
        } catch (Csv.Unclosed unclosed) {
            throw new AssertionError("Csv.line wrote an unclosed quote", unclosed);
        }
        assertEquals(rows, read, "written rows read back differently");
    }
}
