package org.fabtrail.web.bulk;

import org.fabtrail.custody.Csv;
import org.fabtrail.web.UploadMessages;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CSV of a bulk registration (RFC 4180: comma-separated, fields with commas, quotes or line breaks in double
 * quotes, a quote inside doubled). The header names the columns: {@code serial,kind,model,eccn,site} and optionally
 * {@code deviceCertificate}, in any order; {@code row} and {@code reason} are ignored, so a downloaded
 * {@code rejected.csv} can be corrected and uploaded as it is. Rows are numbered like a spreadsheet's: the header is
 * row 1, and a row's number is the line it starts on.
 */
public final class BulkCsv {

    static final List<String> REQUIRED = List.of("serial", "kind", "model", "eccn", "site");
    static final String CERTIFICATE = "deviceCertificate";
    static final List<String> IGNORED = List.of("row", "reason");
    /** Columns of rejected.csv: the row number and why, then the row's own fields. */
    static final List<String> REJECTED_HEADER = List.of("row", "reason", "serial", "kind", "model", "eccn", "site",
            CERTIFICATE);

    /** One record of the file with the line it starts on. */
    public record Record(int row, List<String> fields) {
    }

    /** A data row by column name; {@code problem} says why its shape is wrong (missing or extra columns). */
    record Row(int row, Map<String, String> values, String problem) {
        String get(String column) {
            return values.getOrDefault(column, "");
        }
    }

    /** The file refused as a whole (no header, unknown columns): nothing is registered. */
    static final class FileProblem extends Exception {
        FileProblem(String message) {
            super(message, null, false, false);
        }
    }

    private BulkCsv() {
    }

    /** Splits text into records, each with the line it starts on; blank lines are skipped. */
    public static List<Record> records(String text) throws FileProblem {
        try {
            return Csv.records(text).stream().map(r -> new Record(r.line(), r.fields())).toList();
        } catch (Csv.Unclosed e) {
            throw new FileProblem(e.getMessage());
        }
    }

    /** The data rows of a file, by column name; a problem with the file as a whole worded by {@code texts}. */
    static List<Row> rows(String text, UploadMessages texts) throws FileProblem {
        List<Record> records = records(text);
        if (records.isEmpty()) {
            throw new FileProblem(texts.bulk_file_empty());
        }
        List<String> header = new ArrayList<>();
        for (String h : records.get(0).fields()) {
            String name = h.trim();
            String canonical = name.equalsIgnoreCase(CERTIFICATE) ? CERTIFICATE : name.toLowerCase(Locale.ROOT);
            if (!REQUIRED.contains(canonical) && !CERTIFICATE.equals(canonical) && !IGNORED.contains(canonical)) {
                throw new FileProblem(texts.bulk_unknown_column(name, String.join(",", REQUIRED), CERTIFICATE));
            }
            if (header.contains(canonical)) {
                throw new FileProblem(texts.bulk_column_twice(name));
            }
            header.add(canonical);
        }
        List<String> missing = REQUIRED.stream().filter(c -> !header.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new FileProblem(texts.bulk_columns_missing(missing.size(), String.join(", ", missing)));
        }
        List<Row> out = new ArrayList<>(records.size() - 1);
        for (Record r : records.subList(1, records.size())) {
            Map<String, String> values = new LinkedHashMap<>();
            for (int c = 0; c < Math.min(header.size(), r.fields().size()); c++) {
                values.put(header.get(c), r.fields().get(c));
            }
            String problem = null;
            // a row may end before the optional columns (deviceCertificate, row, reason), not before a required one
            List<String> absent = header.subList(Math.min(header.size(), r.fields().size()), header.size()).stream()
                    .filter(REQUIRED::contains).toList();
            if (!absent.isEmpty()) {
                problem = "missing column" + (absent.size() > 1 ? "s " : " ") + String.join(", ", absent) + ": "
                        + r.fields().size() + " of " + header.size() + " fields";
            } else if (r.fields().size() > header.size()) {
                problem = "too many columns: " + r.fields().size() + " fields, the header has " + header.size();
            }
            out.add(new Row(r.row(), values, problem));
        }
        return out;
    }

    static String field(String s) {
        return Csv.field(s);
    }

    static String line(List<String> fields) {
        return Csv.line(fields);
    }
}
