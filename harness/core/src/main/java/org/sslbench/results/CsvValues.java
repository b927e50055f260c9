package org.sslbench.results;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVRecord;

/**
 * Cell encoding shared by every results CSV, so cells.csv and leaderboard.csv agree.
 *
 * <p>Doubles use {@link Double#toString}: locale-independent and exactly round-tripping (a
 * resumed run re-reads and rewrites earlier rows, which must not drift). NaN means "no value"
 * (not measured, not applicable, or no ok seed) and is written as an empty cell; reading accepts
 * empty or {@code NaN}. Infinities stay literal ({@code Infinity}). Strings: null is written empty.
 */
final class CsvValues {
    private CsvValues() {
    }

    static String text(String value) {
        return value == null ? "" : value;
    }

    static String number(double value) {
        return Double.isNaN(value) ? "" : Double.toString(value);
    }

    static String number(int value) {
        return Integer.toString(value);
    }

    static double getDouble(CSVRecord record, String column) {
        String v = record.get(column).strip();
        if (v.isEmpty() || v.equals("NaN")) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(column + ": not a number: '" + v + "'");
        }
    }

    static int getInt(CSVRecord record, String column) {
        String v = record.get(column).strip();
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(column + ": not an integer: '" + v + "'");
        }
    }

    /** Semicolon-separated, so a list never needs CSV quoting. */
    static String intList(List<Integer> values) {
        StringBuilder sb = new StringBuilder();
        for (int v : values) {
            sb.append(sb.length() == 0 ? "" : ";").append(v);
        }
        return sb.toString();
    }

    static List<Integer> getIntList(CSVRecord record, String column) {
        String v = record.get(column).strip();
        List<Integer> out = new ArrayList<>();
        if (v.isEmpty()) {
            return out;
        }
        for (String part : v.split(";")) {
            try {
                out.add(Integer.parseInt(part.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(column + ": not a ;-separated integer list: '" + v + "'");
            }
        }
        return out;
    }
}
