package io.dropship.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Iterator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

class BoundedRecordReaderTests {

    @Test
    void manyShortRecordsPassWhateverTheirTotal() throws IOException {
        StringBuilder csv = new StringBuilder("sku,qty\n");
        for (int i = 0; i < 50_000; i++) {
            csv.append("SKU-").append(i).append(",1\n");
        }
        BoundedRecordReader reader = new BoundedRecordReader(new StringReader(csv.toString()), 20_000);
        int n = 0;
        for (CSVRecord ignored : CSVParser.builder()
                .setReader(reader)
                .setFormat(CSVFormat.RFC4180)
                .get()) {
            reader.recordDone();
            n++;
        }
        assertEquals(50_001, n);
    }

    @Test
    void anUnclosedQuoteFailsAtTheLimitInsteadOfReadingTheRestIntoOneField() throws IOException {
        String csv = "sku,qty\n\"SKU-1,1\n" + "x".repeat(200_000);
        BoundedRecordReader reader = new BoundedRecordReader(new StringReader(csv), 20_000);
        Iterator<CSVRecord> records = CSVParser.builder()
                .setReader(reader)
                .setFormat(CSVFormat.RFC4180)
                .get()
                .iterator();
        records.next();
        reader.recordDone();
        UncheckedIOException e = assertThrows(UncheckedIOException.class, records::next);
        assertTrue(
                e.getCause().getMessage().contains("runs past 20000 characters"),
                e.getCause().getMessage());
    }
}
