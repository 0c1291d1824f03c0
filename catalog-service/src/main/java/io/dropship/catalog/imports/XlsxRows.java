package io.dropship.catalog.imports;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;

/**
 * The first sheet of an Excel workbook (.xlsx), row by row, with Apache POI's streaming reader: the sheet's XML is
 * read by SAX and never held whole (only the workbook's shared strings are). A zip is read from its end, so the upload
 * is first copied to a temporary file, at most {@code maxBytes}. Cells come as text: numbers as they are (12.5, not
 * "$12.50" or "1.25E1"), dates as ISO dates, formulas as their cached value; a row's missing cells are empty.
 */
final class XlsxRows implements RowSource {

    private final Path file;
    private long lastLine;

    private XlsxRows(Path file) {
        this.file = file;
    }

    static XlsxRows open(InputStream body, long maxBytes) {
        Path file;
        try {
            file = Files.createTempFile("catalog-import-", ".xlsx");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (InputStream in = body;
                var out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw new Unreadable(
                            "the workbook is larger than " + (maxBytes >> 20) + " MB; split it, or send it as CSV");
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            delete(file);
            throw new Unreadable("the upload broke off: " + e.getMessage());
        } catch (RuntimeException e) {
            delete(file);
            throw e;
        }
        return new XlsxRows(file);
    }

    @Override
    public String format() {
        return "XLSX";
    }

    @Override
    public String delimiter() {
        return null;
    }

    @Override
    public long lastLine() {
        return lastLine;
    }

    @Override
    public void read(RowHandler handler) {
        try (OPCPackage pkg = OPCPackage.open(file.toFile(), PackageAccess.READ)) {
            XSSFReader reader = new XSSFReader(pkg);
            ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg, false);
            StylesTable styles = reader.getStylesTable();
            Iterator<InputStream> sheets = reader.getSheetsData();
            if (!sheets.hasNext()) {
                throw new Unreadable("the workbook has no sheet");
            }
            try (InputStream sheet = sheets.next()) {
                XMLReader parser = XMLHelper.newXMLReader();
                parser.setContentHandler(new XSSFSheetXMLHandler(
                        styles, null, strings, new Cells(handler), new PlainFormatter(), false));
                parser.parse(new InputSource(sheet));
            }
        } catch (Passed e) {
            throw (RuntimeException) e.getCause();
        } catch (Unreadable e) {
            throw e;
        } catch (Exception e) {
            if (e.getCause() instanceof Passed passed) {
                throw (RuntimeException) passed.getCause();
            }
            throw new Unreadable((lastLine == 0
                            ? "the file is not an Excel workbook (.xlsx) that can be read: "
                            : "could not read the workbook after row " + lastLine + ": ")
                    + e.getMessage());
        }
    }

    @Override
    public void close() {
        delete(file);
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file the system clears
        }
    }

    /** What the row handler threw, carried through the XML parser untouched. */
    private static final class Passed extends RuntimeException {
        Passed(RuntimeException cause) {
            super(cause);
        }
    }

    /** Gathers a row's cells by their column letters (a sparse row leaves gaps, filled empty), then hands it over. */
    private final class Cells implements XSSFSheetXMLHandler.SheetContentsHandler {
        private final RowHandler handler;
        private final List<String> row = new ArrayList<>();
        private int headerWidth = -1;

        Cells(RowHandler handler) {
            this.handler = handler;
        }

        @Override
        public void startRow(int rowNum) {
            row.clear();
        }

        @Override
        public void endRow(int rowNum) {
            int width = row.size();
            while (width > 0 && row.get(width - 1).isEmpty()) {
                width--;
            }
            if (width == 0) {
                return; // an empty row, as CSV's blank lines are skipped
            }
            lastLine = rowNum + 1L;
            // A sheet keeps no cell for an empty one at a row's end: the row is as wide as the header (the first row).
            List<String> cells = new ArrayList<>(row.subList(0, width));
            if (headerWidth < 0) {
                headerWidth = width;
            }
            while (cells.size() < headerWidth) {
                cells.add("");
            }
            try {
                handler.row(lastLine, cells);
            } catch (RuntimeException e) {
                throw new Passed(e);
            }
        }

        @Override
        public void cell(String cellReference, String formattedValue, XSSFComment comment) {
            int column = cellReference == null ? row.size() : new CellReference(cellReference).getCol();
            while (row.size() < column) {
                row.add("");
            }
            String value = formattedValue == null ? "" : formattedValue;
            if (row.size() == column) {
                row.add(value);
            } else {
                row.set(column, value);
            }
        }
    }

    /** Numbers as plain decimals and dates as ISO dates, whatever the cell's display format. */
    private static final class PlainFormatter extends DataFormatter {
        @Override
        public String formatRawCellContents(double value, int formatIndex, String formatString) {
            if (DateUtil.isADateFormat(formatIndex, formatString) && DateUtil.isValidExcelDate(value)) {
                java.time.LocalDateTime t = DateUtil.getLocalDateTime(value);
                return t.toLocalTime().equals(java.time.LocalTime.MIDNIGHT)
                        ? t.toLocalDate().toString()
                        : t.toString();
            }
            return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        }
    }
}
