package org.sslbench.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/**
 * Reading and rendering of the results CSV files (RFC 4180, UTF-8, LF line ends, header row),
 * shared by cells.csv and leaderboard.csv.
 */
final class CsvTable {
    private static final System.Logger LOG = System.getLogger("org.sslbench.results");

    private static final CSVFormat WRITE_FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").build();

    // Accepts any header (duplicates, blanks) so that a wrong one reaches our own clear
    // header-mismatch error instead of a parser exception.
    private static final CSVFormat READ_FORMAT = CSVFormat.DEFAULT.builder()
            .setHeader().setSkipHeaderRecord(true)
            .setAllowMissingColumnNames(true)
            .setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_ALL)
            .build();

    /** Rows of a file, plus what was repaired while reading it. */
    record Parsed<T>(List<T> rows, List<String> warnings) {
    }

    private CsvTable() {
    }

    static String render(List<String> columns, List<? extends List<String>> rows) {
        StringBuilder out = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(out, WRITE_FORMAT)) {
            printer.printRecord(columns);
            for (List<String> row : rows) {
                printer.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("unreachable: appending to a StringBuilder", e);
        }
        return out.toString();
    }

    /**
     * Reads a file whose header must equal {@code columns}. A final row that is not terminated by
     * a line end (a writer died mid-row) is dropped with a warning, never parsed as a row.
     *
     * @throws ResultsFileException on a header mismatch or a malformed complete row
     */
    static <T> Parsed<T> read(Path file, List<String> columns, Function<CSVRecord, T> parseRow) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<String> warnings = new ArrayList<>();
        int end = completeRecordsEnd(text);
        String tail = text.substring(end);
        String headerLine = String.join(",", columns);
        if (end == 0) {
            // Not even a complete header line: an empty file, or one killed while writing it.
            if (!headerLine.startsWith(tail.strip())) {
                throw ResultsFileException.headerMismatch(file, columns, List.of(tail.strip()));
            }
            if (!tail.isBlank() && !tail.strip().equals(headerLine)) {
                warn(warnings, file + ": incomplete header line dropped");
            }
            return new Parsed<>(List.of(), warnings);
        }
        if (!tail.isBlank()) {
            warn(warnings, file + ": dropped incomplete last row (a writer was interrupted): " + abbreviate(tail));
        }
        return new Parsed<>(parse(file, text.substring(0, end), columns, parseRow), warnings);
    }

    private static <T> List<T> parse(Path file, String text, List<String> columns, Function<CSVRecord, T> parseRow)
            throws IOException {
        List<T> rows = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(text, READ_FORMAT)) {
            if (!parser.getHeaderNames().equals(columns)) {
                throw ResultsFileException.headerMismatch(file, columns, parser.getHeaderNames());
            }
            long line = parser.getCurrentLineNumber() + 1;
            for (CSVRecord record : parser) {
                if (record.size() != columns.size()) {
                    throw new ResultsFileException(file, "line " + line + ": " + record.size()
                            + " fields, expected " + columns.size() + "; fix or remove the row");
                }
                try {
                    rows.add(parseRow.apply(record));
                } catch (IllegalArgumentException e) {
                    throw new ResultsFileException(file, "line " + line + ": " + e.getMessage());
                }
                line = parser.getCurrentLineNumber() + 1;
            }
        } catch (UncheckedIOException e) {
            // Only complete records are parsed, so this is a malformed middle, e.g. text after a closing quote.
            throw new ResultsFileException(file, "malformed CSV: " + e.getCause().getMessage());
        }
        return rows;
    }

    /**
     * Offset just past the last line end that is outside quotes, i.e. the end of the last
     * complete record. Quote parity is enough because the format has no escape character: a
     * doubled quote inside a quoted field toggles twice.
     */
    static int completeRecordsEnd(String text) {
        boolean quoted = false;
        int end = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\n' && !quoted) {
                end = i + 1;
            }
        }
        return end;
    }

    static void warn(List<String> sink, String message) {
        sink.add(message);
        LOG.log(System.Logger.Level.WARNING, message);
    }

    private static String abbreviate(String s) {
        String oneLine = s.strip().replace("\n", "\\n");
        return oneLine.length() <= 80 ? "'" + oneLine + "'" : "'" + oneLine.substring(0, 77) + "...'";
    }
}
