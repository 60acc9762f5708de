package org.fabtrail.custody;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV as people's spreadsheets write it (quoted fields with doubled quotes and line breaks, CRLF or LF, a
 * leading byte-order mark, blank lines skipped, unquoted fields trimmed): for the bulk unit upload, the
 * restricted-party import and the CSV exports.
 */
public final class Csv {

    /** One record and the line it starts on. */
    public record Record(int line, List<String> fields) {
    }

    /** A quoted field that never closes: the file is refused as a whole. */
    public static final class Unclosed extends Exception {
        Unclosed(String message) {
            super(message, null, false, false);
        }
    }

    private Csv() {
    }

    /** Splits text into records, each with the line it starts on; blank lines are skipped. */
    public static List<Record> records(String text) throws Unclosed {
        List<Record> out = new ArrayList<>();
        Reader reader = new Reader(text);
        while (reader.i < reader.n) {
            int start = reader.line;
            List<String> fields = reader.record();
            if (!(fields.size() == 1 && fields.get(0).isEmpty())) {
                out.add(new Record(start, fields));
            }
        }
        return out;
    }

    /** Where {@link #records} is in the text: the next character and its line. */
    private static final class Reader {
        private final String text;
        private final int n;
        private int i;
        private int line = 1;

        Reader(String text) {
            this.text = text;
            this.n = text.length();
            this.i = text.startsWith("\uFEFF") ? 1 : 0;
        }

        /** The fields of the record that starts here, up to and past its line break. */
        List<String> record() throws Unclosed {
            int start = line;
            List<String> fields = new ArrayList<>();
            StringBuilder f = new StringBuilder();
            // whether f holds only whitespace (f.toString().isBlank()), kept as it grows: asking f each time a quote
            // comes made a field of many quotes quadratic (minutes for an upload of a few megabytes)
            boolean blank = true;
            boolean quoted = false;
            boolean wasQuoted = false;
            boolean endOfRecord = false;
            while (i < n && !endOfRecord) {
                char ch = text.charAt(i);
                if (quoted) {
                    if (ch == '"') {
                        if (i + 1 < n && text.charAt(i + 1) == '"') {
                            f.append('"');
                            blank = false;
                            i += 2;
                        } else {
                            quoted = false;
                            i++;
                        }
                    } else {
                        if (ch == '\n') {
                            line++;
                        }
                        f.append(ch);
                        blank &= Character.isWhitespace(ch);
                        i++;
                    }
                } else if (ch == '"' && blank) {
                    quoted = true;
                    wasQuoted = true;
                    f.setLength(0);
                    i++;
                } else if (ch == ',') {
                    fields.add(wasQuoted ? f.toString() : f.toString().trim());
                    f.setLength(0);
                    blank = true;
                    wasQuoted = false;
                    i++;
                } else if (ch == '\r' || ch == '\n') {
                    if (ch == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                    i++;
                    line++;
                    endOfRecord = true;
                } else {
                    f.append(ch);
                    blank &= Character.isWhitespace(ch);
                    i++;
                }
            }
            if (quoted) {
                throw new Unclosed("Row " + start + " opens a quoted field that never closes.");
            }
            fields.add(wasQuoted ? f.toString() : f.toString().trim());
            return fields;
        }
    }

    /**
     * One CSV field, quoted when it must be: for a comma, quote or line break, for anything at either end that
     * {@link #records} trims from an unquoted field (spaces, tabs and other characters up to U+0020), and for a
     * leading U+FEFF (which, first in a file, reads as a byte-order mark), so that what is written reads back the
     * same.
     */
    public static String field(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0
                || (!s.isEmpty() && (s.charAt(0) <= ' ' || s.charAt(0) == '\uFEFF'
                        || s.charAt(s.length() - 1) <= ' '))) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    /** One CSV line (CRLF-terminated). */
    public static String line(List<String> fields) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(field(fields.get(i)));
        }
        return b.append("\r\n").toString();
    }
}
