package io.dropship.catalog.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class RowParserTests {

    @Test
    void amountsAreReadAsSpreadsheetsWriteThem() {
        assertEquals(new BigDecimal("1234.50"), RowParser.number("$1,234.50"));
        assertEquals(new BigDecimal("1234.50"), RowParser.number("1.234,50 €"));
        assertEquals(new BigDecimal("12.5"), RowParser.number("12,5"));
        assertEquals(new BigDecimal("1234"), RowParser.number("1,234"));
        assertEquals(new BigDecimal("1234567"), RowParser.number("1.234.567"));
        assertEquals(new BigDecimal("3.25"), RowParser.number("3.25"));
        assertNull(RowParser.number("three"));
        assertNull(RowParser.number("1.2.3,4,5"));
    }

    @Test
    void plainNumbersAreReadAsBigDecimalReadsThemAndTheRestGoesThroughThePatterns() {
        assertEquals(new BigDecimal("12.50"), RowParser.number("12.50"));
        assertEquals(new BigDecimal("-3"), RowParser.number("-3"));
        assertEquals(new BigDecimal("5"), RowParser.number("5."));
        assertEquals(new BigDecimal("0.5"), RowParser.number(".5"));
        assertEquals(new BigDecimal("12.50"), RowParser.number("0012.50"));
        assertNull(RowParser.number("."));
        assertNull(RowParser.number("-"));
        assertNull(RowParser.number("1-2"));
        assertNull(RowParser.number("1.2.3"));
        assertFalse(RowParser.plain("1.2.3"));
        assertFalse(RowParser.plain("12,50"));
        assertFalse(RowParser.plain(" 12"));
        assertTrue(RowParser.plain("-0.99"));
    }

    @Test
    void theDelimiterIsTheOneTheHeaderUsesOutsideQuotes() {
        assertEquals(';', CsvRows.sniff(new BufferedReader(new StringReader("sku;title;\"a,b,c\"\n1;2;3"))));
        assertEquals(',', CsvRows.sniff(new BufferedReader(new StringReader("sku,title,price\n"))));
        assertEquals('\t', CsvRows.sniff(new BufferedReader(new StringReader("sku\ttitle\tprice\n"))));
    }
}
