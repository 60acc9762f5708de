package org.fabtrail.discrepancy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.fabtrail.ledger.SafeText;
import org.fabtrail.testing.Fuzzing;
import org.fabtrail.testing.ParserFuzzTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the restricted-party import's reading and checking ({@link RestrictedList#parse}, all of the import but
 * the database writes): any text is a list or an {@link RestrictedList.ImportProblem} naming its problems. Every row
 * of an accepted list restricts something (a party with match keys, or a country), names its source list, and holds
 * only text the database can store and pages can show ({@link SafeText}), since anything else fails at the insert.
 * Seeds: the demo list and {@code RestrictedListFuzzTestInputs/parse}.
 */
class RestrictedListFuzzTest {

    static Stream<byte[]> demo() {
        return Fuzzing.files("demo");
    }

    @MethodSource("demo")
    @ParserFuzzTest
    void parse(byte[] input) {
        List<RestrictedList.Row> rows;
        try {
            rows = RestrictedList.parse(new String(input, StandardCharsets.UTF_8));
        } catch (RestrictedList.ImportProblem problem) {
            assertFalse(problem.problems().isEmpty());
            problem.problems().forEach(p -> assertFalse(p.isBlank()));
            return;
        }
        assertTrue(rows.size() <= RestrictedList.MAX_ROWS);
        for (RestrictedList.Row row : rows) {
            assertTrue(!row.name().isEmpty() || row.country() != null, "a row that restricts nothing: " + row);
            assertTrue(row.country() == null || row.country().matches("[A-Z]{2}"), row.country());
            assertFalse(row.source().isEmpty(), "a row without a source list");
            if (row.name().isEmpty()) {
                assertTrue(row.aliases().isEmpty() && row.keys().isEmpty(), row.toString());
            } else {
                assertFalse(row.keys().isEmpty() || row.keys().contains(""), row.toString());
            }
            List<String> texts = new ArrayList<>(List.of(row.name(), row.source(), row.ids()));
            texts.addAll(row.aliases());
            texts.addAll(row.keys());
            for (String text : texts) {
                assertTrue(SafeText.isMultiLine(text), "stored text the database cannot hold: "
                        + SafeText.multiLineFault(text).orElse(""));
            }
        }
    }
}
