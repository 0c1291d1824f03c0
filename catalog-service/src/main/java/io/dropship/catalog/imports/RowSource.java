package io.dropship.catalog.imports;

import java.util.List;

/**
 * Where an import's rows come from, one after the other as the file is read: a CSV file ({@link CsvRows}) or the first
 * sheet of an Excel workbook ({@link XlsxRows}). The first row handed over is the header.
 */
interface RowSource extends AutoCloseable {

    /** A row of cells as text, with its line (CSV: the line it starts on; Excel: its row number). */
    @FunctionalInterface
    interface RowHandler {
        void row(long line, List<String> cells);
    }

    /** A file that cannot be read (on): the rows before it count, the import stops with this reason. */
    final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    /** CSV or XLSX. */
    String format();

    /** The CSV file's delimiter; null for a workbook. */
    String delimiter();

    /** The line of the last row read. */
    long lastLine();

    /** Hands every row over, header first; what the handler throws comes out as it is. */
    void read(RowHandler handler);

    @Override
    void close();
}
