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
 * shared by cells.csv, leaderboard.csv and the perf benchmark files.
 */
public final class CsvTable {
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

    /** The header row and the rows, quoted only where a value needs it. */
    public static String render(List<String> columns, List<? extends List<String>> rows) {
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
        return read(file, columns, List.of(), parseRow);
    }

    /**
     * As {@link #read(Path, List, Function)}, also accepting an older layout's header
     * {@code legacyColumns} (empty: none); {@code parseRow} must then cope with the columns that
     * layout lacks ({@link CSVRecord#isMapped}). Writers always write {@code columns}.
     */
    static <T> Parsed<T> read(Path file, List<String> columns, List<String> legacyColumns,
                              Function<CSVRecord, T> parseRow) throws IOException {
        return readAccepting(file, columns, legacyColumns.isEmpty() ? List.of() : List.of(legacyColumns), parseRow);
    }

    /**
     * As {@link #read(Path, List, Function)}, also accepting each of the older layouts' headers
     * {@code legacyHeaders}; {@code parseRow} must then cope with the columns a layout lacks
     * ({@link CSVRecord#isMapped}). Writers always write {@code columns}.
     */
    static <T> Parsed<T> readAccepting(Path file, List<String> columns, List<List<String>> legacyHeaders,
                                       Function<CSVRecord, T> parseRow) throws IOException {
        return readNumbered(file, columns, legacyHeaders, (record, line) -> parseRow.apply(record));
    }

    /**
     * As {@link #readAccepting}, giving {@code parseRow} each row's line number in the file
     * (1 = the header), for messages that must point at two rows.
     */
    static <T> Parsed<T> readNumbered(Path file, List<String> columns, List<List<String>> legacyHeaders,
                                      java.util.function.BiFunction<CSVRecord, Long, T> parseRow) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<String> warnings = new ArrayList<>();
        int end = completeRecordsEnd(text);
        String tail = text.substring(end);
        List<String> headerLines = new ArrayList<>();
        headerLines.add(String.join(",", columns));
        legacyHeaders.forEach(h -> headerLines.add(String.join(",", h)));
        if (end == 0) {
            // Not even a complete header line: an empty file, or one killed while writing it.
            String partial = tail.strip();
            if (headerLines.stream().noneMatch(h -> h.startsWith(partial))) {
                throw ResultsFileException.headerMismatch(file, columns, List.of(partial));
            }
            if (!tail.isBlank() && !headerLines.contains(partial)) {
                warn(warnings, file + ": incomplete header line dropped");
            }
            return new Parsed<>(List.of(), warnings);
        }
        if (!tail.isBlank()) {
            warn(warnings, file + ": dropped incomplete last row (a writer was interrupted): " + abbreviate(tail));
        }
        return new Parsed<>(parse(file, text.substring(0, end), columns, legacyHeaders, parseRow), warnings);
    }

    /**
     * Reads a file whose header must contain {@code columns} (in any order, among others): for
     * files with a variable part, such as the method metrics of a pretext log.
     *
     * @throws ResultsFileException when a column is missing or a row is malformed
     */
    static <T> List<T> readContaining(Path file, List<String> columns, Function<CSVRecord, T> parseRow)
            throws IOException {
        return parse(file, Files.readString(file, StandardCharsets.UTF_8), columns, null,
                (record, line) -> parseRow.apply(record));
    }

    /**
     * The header row of a file (empty for an empty file), to tell file kinds apart before
     * reading them with {@link #read}.
     */
    static List<String> header(Path file) throws IOException {
        try (CSVParser parser = CSVParser.parse(file, StandardCharsets.UTF_8, READ_FORMAT)) {
            return parser.getHeaderNames();
        } catch (UncheckedIOException e) {
            throw new ResultsFileException(file, "malformed CSV header: " + e.getCause().getMessage());
        }
    }

    /** @param legacyHeaders null: the header must contain {@code columns}; else it must equal them or one of these */
    private static <T> List<T> parse(Path file, String text, List<String> columns, List<List<String>> legacyHeaders,
                                     java.util.function.BiFunction<CSVRecord, Long, T> parseRow) throws IOException {
        List<T> rows = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(text, READ_FORMAT)) {
            List<String> header = parser.getHeaderNames();
            boolean fits = legacyHeaders == null ? header.containsAll(columns)
                    : header.equals(columns) || legacyHeaders.contains(header);
            if (!fits) {
                throw ResultsFileException.headerMismatch(file, columns, header);
            }
            long line = parser.getCurrentLineNumber() + 1;
            for (CSVRecord record : parser) {
                if (record.size() != header.size()) {
                    throw new ResultsFileException(file, "line " + line + ": " + record.size()
                            + " fields, expected " + header.size() + "; fix or remove the row");
                }
                try {
                    rows.add(parseRow.apply(record, line));
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
