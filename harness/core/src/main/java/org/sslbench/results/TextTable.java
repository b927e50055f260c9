package org.sslbench.results;

import java.util.List;
import java.util.Locale;

/** Renders rows of cells (first row = header) as space-aligned plain text or as a Markdown table. */
public final class TextTable {
    private static final String GAP = "  ";

    private TextTable() {
    }

    /** Left-aligned columns separated by two spaces; one line per row, each ending in a newline. */
    public static String aligned(List<List<String>> rows) {
        int[] widths = new int[rows.stream().mapToInt(List::size).max().orElse(0)];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == 0 ? "" : GAP).append(String.format(Locale.ROOT, "%-" + widths[i] + "s", row.get(i)));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** GitHub-flavoured Markdown; cells are escaped so a status detail cannot break the table. */
    static String markdown(List<List<String>> rows) {
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            out.append('|');
            rows.get(r).forEach(cell -> out.append(' ').append(escape(cell)).append(" |"));
            out.append('\n');
            if (r == 0) {
                out.append("|---".repeat(rows.get(0).size())).append("|\n");
            }
        }
        return out.toString();
    }

    static String escape(String cell) {
        return cell.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>");
    }
}
