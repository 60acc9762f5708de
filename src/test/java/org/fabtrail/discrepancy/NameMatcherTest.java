package org.fabtrail.discrepancy;

import org.fabtrail.custody.Csv;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fuzzy party-name matcher measured on a committed table of name pairs (name-pairs.csv): true matches in other
 * legal forms, transliterations, word orders and abbreviations, and near-misses. At the default threshold no true
 * match may be missed; precision is asserted at the figure docs/discrepancies.md reports.
 */
class NameMatcherTest {

    record Pair(boolean match, String candidate, String listed, String kind) {
    }

    static List<Pair> pairs() throws Exception {
        try (InputStream in = NameMatcherTest.class.getResourceAsStream("name-pairs.csv")) {
            List<Csv.Record> records = Csv.records(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            List<Pair> out = new ArrayList<>();
            for (Csv.Record r : records.subList(1, records.size())) {
                out.add(new Pair(r.fields().get(0).equals("match"), r.fields().get(1), r.fields().get(2),
                        r.fields().get(3)));
            }
            return out;
        }
    }

    @Test
    void theTableHasAtLeastSixtyPairsOfBothKinds() throws Exception {
        List<Pair> pairs = pairs();
        assertTrue(pairs.size() >= 60, pairs.size() + " pairs");
        assertTrue(pairs.stream().filter(Pair::match).count() >= 30);
        assertTrue(pairs.stream().filter(p -> !p.match()).count() >= 30);
    }

    @Test
    void atTheDefaultThresholdEveryTrueMatchMatchesAndPrecisionIsAsDocumented() throws Exception {
        double threshold = DiscrepancySettings.MATCH_THRESHOLD;
        int tp = 0;
        int fp = 0;
        int fn = 0;
        StringBuilder report = new StringBuilder();
        for (Pair p : pairs()) {
            double score = NameMatcher.score(p.candidate(), p.listed());
            boolean matched = score >= threshold;
            if (matched && p.match()) {
                tp++;
            } else if (matched) {
                fp++;
            } else if (p.match()) {
                fn++;
            }
            report.append(String.format(Locale.ROOT, "%s %.3f %s | %s | %s%n", p.match() ? "match" : "miss ", score,
                    p.candidate(), p.listed(), matched == p.match() ? "ok" : "WRONG"));
        }
        System.out.print(report);
        double recall = tp / (double) (tp + fn);
        double precision = tp / (double) (tp + fp);
        System.out.printf(Locale.ROOT, "threshold %.2f: recall %.3f, precision %.3f (tp %d, fp %d, fn %d)%n",
                threshold, recall, precision, tp, fp, fn);
        assertEquals(0, fn, "no true match missed:\n" + report);
        assertEquals(1.0, recall);
        assertTrue(precision >= PRECISION, "precision " + precision + "\n" + report);
    }

    /** The precision docs/discrepancies.md reports for the table at the default threshold. */
    static final double PRECISION = 0.97;

    @Test
    void namesScoreOneAgainstThemselvesAndNothingAgainstEmptiness() {
        assertEquals(1.0, NameMatcher.score("Harbor Lights Trading", "Harbor Lights Trading"));
        assertEquals(0.0, NameMatcher.score("Co., Ltd.", "Harbor Lights Trading"));
        assertEquals(0.0, NameMatcher.score("", "Harbor Lights Trading"));
    }
}
