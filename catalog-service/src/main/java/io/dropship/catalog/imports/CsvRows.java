package io.dropship.catalog.imports;

import io.dropship.platform.web.BoundedRecordReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A CSV file read record by record as the upload arrives (Commons CSV), never held whole: comma, semicolon or tab
 * separated (sniffed from the header line unless given), Excel's byte order mark skipped, a record longer than
 * {@link #MAX_RECORD_CHARS} refused.
 */
final class CsvRows implements RowSource {

    /** A product row longer than this (with read-ahead) is not a product row: the import stops there, nothing held. */
    static final long MAX_RECORD_CHARS = 1 << 20;

    private final BoundedRecordReader reader;
    private final char delimiter;
    private long lastLine;

    private CsvRows(InputStream body, Character delimiter, Charset charset) {
        BufferedReader buffered = reader(body, charset);
        this.delimiter = delimiter != null ? delimiter : sniff(buffered);
        this.reader = new BoundedRecordReader(buffered, MAX_RECORD_CHARS);
    }

    static CsvRows open(InputStream body, Character delimiter, Charset charset) {
        return new CsvRows(body, delimiter, charset);
    }

    @Override
    public String format() {
        return "CSV";
    }

    @Override
    public String delimiter() {
        return String.valueOf(delimiter);
    }

    @Override
    public long lastLine() {
        return lastLine;
    }

    @Override
    public void read(RowHandler handler) {
        CSVFormat format = CSVFormat.RFC4180
                .builder()
                .setDelimiter(delimiter)
                .setIgnoreEmptyLines(true)
                .setIgnoreSurroundingSpaces(false)
                .setTrim(false)
                .get();
        CSVParser parser;
        try {
            parser = CSVParser.builder().setReader(reader).setFormat(format).get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Iterator<CSVRecord> records = parser.iterator();
        while (true) {
            CSVRecord record;
            try {
                if (!records.hasNext()) {
                    return;
                }
                record = records.next();
                reader.recordDone();
            } catch (UncheckedIOException e) {
                throw new Unreadable(
                        lastLine == 0
                                ? "the header row cannot be read: "
                                        + e.getCause().getMessage()
                                : "could not read the file after line " + lastLine + ": "
                                        + e.getCause().getMessage());
            }
            long line = lastLine + 1;
            lastLine = parser.getCurrentLineNumber();
            handler.row(line, record.toList());
        }
    }

    @Override
    public void close() {
        // the upload's stream is the request's
    }

    private static BufferedReader reader(InputStream body, Charset charset) {
        try {
            // Excel writes a byte order mark at the start of "CSV UTF-8"; it is not part of the first header.
            PushbackInputStream in = new PushbackInputStream(body, 3);
            byte[] bom = new byte[3];
            int n = in.readNBytes(bom, 0, 3);
            boolean isBom = n == 3 && (bom[0] & 0xFF) == 0xEF && (bom[1] & 0xFF) == 0xBB && (bom[2] & 0xFF) == 0xBF;
            if (!isBom && n > 0) {
                in.unread(bom, 0, n);
            }
            return new BufferedReader(
                    new InputStreamReader(in, charset == null ? StandardCharsets.UTF_8 : charset), 1 << 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Comma, semicolon (Excel in countries with a decimal comma) or tab: whichever the header line holds most of. */
    static char sniff(BufferedReader reader) {
        try {
            reader.mark(1 << 15);
            char[] buf = new char[1 << 15];
            int n = reader.read(buf);
            reader.reset();
            int comma = 0, semicolon = 0, tab = 0;
            boolean quoted = false;
            for (int i = 0; i < Math.max(n, 0); i++) {
                char c = buf[i];
                if (c == '"') {
                    quoted = !quoted;
                } else if (!quoted && (c == '\n' || c == '\r')) {
                    break;
                } else if (!quoted) {
                    if (c == ',') comma++;
                    else if (c == ';') semicolon++;
                    else if (c == '\t') tab++;
                }
            }
            return tab > comma && tab > semicolon ? '\t' : semicolon > comma ? ';' : ',';
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
