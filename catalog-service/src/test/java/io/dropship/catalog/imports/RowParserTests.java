package io.dropship.catalog.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
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

    /** The images as the two patterns read them before: the parts, or the error's message. */
    private static String byPatterns(String raw) {
        List<String> out = new ArrayList<>();
        for (String part : Pattern.compile("[|\\s,;]+").split(raw)) {
            if (part.isEmpty()) {
                continue;
            }
            if (!Pattern.compile("https?://\\S{1,990}").matcher(part).matches()) {
                return "image '" + (part.length() > 40 ? part.substring(0, 40) + "..." : part)
                        + "' is not an http(s) URL";
            }
            out.add(part);
        }
        return out.size() > 10 ? "has " + out.size() + " images" : out.toString();
    }

    private static String byParser(String raw) {
        try {
            return RowParser.images(raw).toString();
        } catch (RowParser.RowError e) {
            return e.getMessage().replace("; at most 10", "");
        }
    }

    @Test
    void imagesAreSplitAndCheckedAsThePatternsDid() {
        Random random = new Random(20261207);
        String[] pieces = {
            "http://", "https://", "http:/", "HTTP://", "https:", "ftp://", "a", "b.jpg", "/x", "é", "%20", "s", ":"
        };
        String[] separators = {"|", ",", ";", " ", "\t", "\n", "\u000B", "\f", "\r", "\u00A0", ", ", " | "};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder raw = new StringBuilder();
            int parts = random.nextInt(14);
            for (int p = 0; p < parts; p++) {
                if (random.nextInt(4) == 0) {
                    raw.append(separators[random.nextInt(separators.length)]);
                }
                int length = random.nextInt(4);
                for (int k = 0; k < length; k++) {
                    raw.append(pieces[random.nextInt(pieces.length)]);
                }
                raw.append(separators[random.nextInt(separators.length)]);
            }
            assertEquals(byPatterns(raw.toString()), byParser(raw.toString()), raw.toString());
        }
        for (int rest : new int[] {0, 1, 989, 990, 991}) {
            for (String scheme : new String[] {"http://", "https://"}) {
                String raw = "|" + scheme + "x".repeat(rest) + " ";
                assertEquals(byPatterns(raw), byParser(raw), scheme + " and " + rest);
            }
        }
        assertEquals("[]", byParser(" ,;| "));
        assertEquals("[https://a/1.jpg, http://b/2.png]", byParser("https://a/1.jpg | http://b/2.png"));
    }
}
