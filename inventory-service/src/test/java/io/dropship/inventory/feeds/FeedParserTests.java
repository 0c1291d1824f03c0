package io.dropship.inventory.feeds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.inventory.service.StockItems.Quantity;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedParserTests {

    static final Instant FETCHED = Instant.parse("2026-11-23T12:00:00Z");

    record Parsed(List<Quantity> rows, List<String> bad) {}

    static Parsed parse(String body, FeedParser.Format format) {
        List<Quantity> rows = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        FeedParser.parse(
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
                format,
                FETCHED,
                new ObjectMapper(),
                new FeedParser.Sink() {
                    @Override
                    public void row(Quantity quantity) {
                        rows.add(quantity);
                    }

                    @Override
                    public void bad(long where, String reason) {
                        bad.add(where + " " + reason);
                    }
                });
        return new Parsed(rows, bad);
    }

    @Test
    void csvColumnsAreFoundByTheirUsualNamesWhateverTheDelimiter() {
        Parsed tab = parse("Product Code\tColour\tStock Level\nA-1\tred\t4\nA-2\tblue\t0\n", FeedParser.Format.CSV);
        assertEquals(List.of(new Quantity("A-1", 4, FETCHED), new Quantity("A-2", 0, FETCHED)), tab.rows());
        Parsed comma = parse("\uFEFFsku,qty,updated_at\r\nB-1,7,2026-11-23T10:00:00+01:00\r\n", FeedParser.Format.CSV);
        assertEquals(Instant.parse("2026-11-23T09:00:00Z"), comma.rows().get(0).updatedAt());
    }

    @Test
    void badCsvRowsAreDescribedByLineAndTheRestRead() {
        Parsed p = parse(
                "sku;quantity;timestamp\nC-1;1.5;\nC-2;-3;\nC-3;2;yesterday\nbad sku;1;\nC-4;9;\n",
                FeedParser.Format.CSV);
        assertEquals(List.of(new Quantity("C-4", 9, FETCHED)), p.rows());
        assertEquals(4, p.bad().size());
        assertEquals("2 C-1: quantity '1.5' is not a whole number", p.bad().get(0));
        assertTrue(p.bad().get(1).contains("not between 0 and"), p.bad().get(1));
        assertTrue(p.bad().get(2).startsWith("4 C-3: time 'yesterday'"), p.bad().get(2));
        assertTrue(p.bad().get(3).startsWith("5 SKU 'bad sku'"), p.bad().get(3));
    }

    @Test
    void aCsvWithoutTheColumnsFailsAsAWhole() {
        FeedParser.FeedException e = assertThrows(
                FeedParser.FeedException.class, () -> parse("code,colour\nA,red\n", FeedParser.Format.CSV));
        assertTrue(e.getMessage().contains("names no SKU column"), e.getMessage());
        assertThrows(FeedParser.FeedException.class, () -> parse("", FeedParser.Format.CSV));
    }

    @Test
    void jsonIsAnArrayOrAnObjectWithItems() {
        Parsed array = parse(
                "[{\"sku\":\"J-1\",\"quantity\":3},{\"sku\":\"J-2\",\"quantity\":\"x\"},"
                        + "{\"sku\":\"J-3\",\"quantity\":1,\"updatedAt\":\"2026-11-23T11:00:00Z\"}]",
                FeedParser.Format.JSON);
        assertEquals(2, array.rows().size());
        assertEquals(Instant.parse("2026-11-23T11:00:00Z"), array.rows().get(1).updatedAt());
        assertEquals(List.of("1 J-2: quantity 'x' is not a whole number"), array.bad());
        Parsed object =
                parse("{\"meta\":{\"page\":1},\"items\":[{\"sku\":\"J-9\",\"quantity\":0}]}", FeedParser.Format.JSON);
        assertEquals(List.of(new Quantity("J-9", 0, FETCHED)), object.rows());
        assertThrows(FeedParser.FeedException.class, () -> parse("{\"stock\":[]}", FeedParser.Format.JSON));
    }

    @Test
    void feedsInsideThePrivateNetworkAreRefusedUnlessAllowed() {
        StockFeeds strict = new StockFeeds(
                null, null, null, null, null, Duration.ofSeconds(1), Duration.ofSeconds(1), true, 1 << 20);
        assertTrue(strict.checkUrl("http://127.0.0.1:8080/stock.csv").contains("private network"));
        assertTrue(strict.checkUrl("http://10.1.2.3/stock.csv").contains("private network"));
        // Missed before: IPv6 unique-local, carrier-grade NAT, cloud metadata, IPv4 inside IPv6.
        assertTrue(strict.checkUrl("http://[fd00::1]/stock.csv").contains("private network"));
        assertTrue(strict.checkUrl("http://100.64.1.2/stock.csv").contains("private network"));
        assertTrue(strict.checkUrl("http://169.254.169.254/latest/meta-data").contains("private network"));
        assertTrue(strict.checkUrl("http://[::ffff:127.0.0.1]/stock.csv").contains("private network"));
        assertTrue(strict.checkUrl("file:///etc/passwd").contains("http or https"));
        StockFeeds open = new StockFeeds(
                null, null, null, null, null, Duration.ofSeconds(1), Duration.ofSeconds(1), false, 1 << 20);
        assertNull(open.checkUrl("http://localhost:8090/stock.csv"));
    }
}
