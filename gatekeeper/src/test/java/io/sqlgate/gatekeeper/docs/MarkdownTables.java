package io.sqlgate.gatekeeper.docs;

import io.sqlgate.gatekeeper.api.ErrorCodeScan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The rows of a reference page's tables, the ones the reference tests read: each row keyed by its first cell's name. */
final class MarkdownTables {
    /**
     * One row of a table whose header's first cell is {@code header}.
     *
     * @param name  the first cell's backquoted name, without the backquotes
     * @param cells every cell, trimmed, the first included
     * @param line  the row's line in the page, from 1
     */
    record Row(String name, List<String> cells, int line) {
        String cell(int index) {
            return index < cells.size() ? cells.get(index) : "";
        }

        String text() {
            return String.join(" | ", cells);
        }
    }

    private static final Pattern NAME = Pattern.compile("^`([^`]+)`$");

    private MarkdownTables() {
    }

    /** The page's text, from the project's root (e.g. {@code docs/configuration.md}). */
    static String page(String path) {
        return ErrorCodeScan.read(ErrorCodeScan.projectRoot().resolve(path));
    }

    /** Every row, in the page's order, of the tables whose header's first cell is {@code header}. */
    static List<Row> rows(String page, String header) {
        List<Row> rows = new ArrayList<>();
        String[] lines = page.split("\n", -1);
        boolean inTable = false;
        boolean wanted = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (!line.startsWith("|")) {
                inTable = false;
                continue;
            }
            List<String> cells = cells(line);
            if (!inTable) {
                inTable = true;
                wanted = cells.get(0).equals(header);
                i++; // the separator line
                continue;
            }
            if (!wanted) {
                continue;
            }
            Matcher name = NAME.matcher(cells.get(0));
            if (name.matches()) {
                rows.add(new Row(name.group(1), cells, i + 1));
            }
        }
        return rows;
    }

    /** A row's cells: split at the bars that are not escaped ({@code \|} stays in its cell). */
    private static List<String> cells(String line) {
        String inner = line.substring(1, line.endsWith("|") && line.length() > 1 ? line.length() - 1 : line.length());
        return Arrays.stream(inner.split("(?<!\\\\)\\|", -1)).map(String::trim).toList();
    }
}
