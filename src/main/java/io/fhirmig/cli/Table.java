package io.fhirmig.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A table of text for the terminal: a header row and rows, each column as wide as its widest cell,
 * two spaces apart. The last column is not padded, so that no line ends in blanks.
 */
final class Table {

    private final List<String[]> rows = new ArrayList<>();

    /** @param header the columns' names */
    Table(String... header) {
        rows.add(header.clone());
    }

    /** Adds a row; a null cell is empty. */
    Table row(String... cells) {
        if (cells.length != rows.get(0).length) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + rows.get(0).length
                    + " columns");
        }
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = cells[i] == null ? "" : cells[i];
        }
        rows.add(row);
        return this;
    }

    /** {@return the lines: the header, then the rows in the order they were added} */
    List<String> lines() {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>(rows.size());
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(row[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }
}
