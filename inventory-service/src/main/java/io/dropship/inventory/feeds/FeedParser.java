package io.dropship.inventory.feeds;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.inventory.service.StockItems.Quantity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a supplier's stock feed as it streams in, one quantity at a time: a CSV with a header row (the SKU and
 * quantity columns found by their usual names, an optional time column) or JSON (an array of
 * {@code {sku, quantity, updatedAt}}, or an object holding one under {@code items}). A row without a time is stamped
 * with the time of the fetch. A bad row is counted and described, and the rest go on.
 */
public final class FeedParser {

    public enum Format {
        CSV,
        JSON
    }

    /** Where the rows go: good ones to {@code row}, bad ones to {@code bad} with their line (or index) and reason. */
    public interface Sink {
        void row(Quantity quantity);

        void bad(long where, String reason);
    }

    static final Pattern SKU = Pattern.compile("[A-Za-z0-9._/-]{1,100}");
    static final List<String> SKU_NAMES = List.of("sku", "item", "item code", "product code", "article", "part number");
    static final List<String> QUANTITY_NAMES =
            List.of("quantity", "qty", "stock", "on hand", "onhand", "available", "inventory", "stock level");
    static final List<String> TIME_NAMES =
            List.of("updated at", "updatedat", "updated", "timestamp", "last updated", "as of");

    private FeedParser() {}

    public static void parse(InputStream in, Format format, Instant fetchedAt, ObjectMapper mapper, Sink sink) {
        try {
            if (format == Format.CSV) {
                csv(in, fetchedAt, sink);
            } else {
                json(in, fetchedAt, mapper, sink);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A stock row (SKU, quantity, time) is short: one longer than this, read-ahead included, is not a stock row. */
    static final long MAX_RECORD_CHARS = 64 * 1024;

    private static void csv(InputStream in, Instant fetchedAt, Sink sink) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        // The header is read from the first 8 KiB only: a feed that is one endless line must not be read whole.
        reader.mark(8192);
        char[] head = new char[8192];
        int n = reader.read(head);
        reader.reset();
        if (n <= 0) {
            throw new FeedException("the feed is empty");
        }
        String first = new String(head, 0, n).split("\r?\n", 2)[0];
        if (first.startsWith("\uFEFF")) {
            reader.skip(1);
            first = first.substring(1);
        }
        char delimiter = count(first, '\t') > count(first, ',') && count(first, '\t') > count(first, ';')
                ? '\t'
                : count(first, ';') > count(first, ',') ? ';' : ',';
        io.dropship.platform.web.BoundedRecordReader bounded =
                new io.dropship.platform.web.BoundedRecordReader(reader, MAX_RECORD_CHARS);
        CSVParser parser = CSVParser.builder()
                .setReader(bounded)
                .setFormat(CSVFormat.RFC4180
                        .builder()
                        .setDelimiter(delimiter)
                        .setIgnoreEmptyLines(true)
                        .get())
                .get();
        var records = parser.iterator();
        List<String> header;
        try {
            header = records.next().toList();
            bounded.recordDone();
        } catch (java.io.UncheckedIOException e) {
            throw new FeedException(
                    "the feed's header cannot be read: " + e.getCause().getMessage());
        }
        int sku = column(header, SKU_NAMES);
        int quantity = column(header, QUANTITY_NAMES);
        int time = column(header, TIME_NAMES);
        if (sku < 0 || quantity < 0) {
            throw new FeedException(
                    "the feed's header names no " + (sku < 0 ? "SKU" : "quantity") + " column: " + header);
        }
        while (true) {
            CSVRecord r;
            try {
                if (!records.hasNext()) {
                    break;
                }
                r = records.next();
            } catch (java.io.UncheckedIOException e) {
                throw new FeedException("the feed cannot be read after record " + parser.getRecordNumber() + ": "
                        + e.getCause().getMessage());
            }
            bounded.recordDone();
            long line = r.getRecordNumber();
            row(
                    r.size() > sku ? r.get(sku).trim() : null,
                    r.size() > quantity ? r.get(quantity).trim() : null,
                    time >= 0 && r.size() > time ? r.get(time).trim() : null,
                    fetchedAt,
                    line,
                    sink);
        }
    }

    private static void json(InputStream in, Instant fetchedAt, ObjectMapper mapper, Sink sink) throws IOException {
        try (JsonParser p = mapper.getFactory().createParser(in)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    t = p.nextToken();
                    if (name.equals("items") && t == JsonToken.START_ARRAY) {
                        break;
                    }
                    p.skipChildren();
                }
            }
            if (t != JsonToken.START_ARRAY) {
                throw new FeedException(
                        "the feed is not a JSON array of {sku, quantity} items, nor an object with one under items");
            }
            long index = 0;
            while (p.nextToken() == JsonToken.START_OBJECT) {
                JsonNode item = mapper.readTree(p);
                JsonNode q = item.path("quantity");
                row(
                        item.path("sku").isTextual() ? item.path("sku").asText() : null,
                        q.isIntegralNumber() ? q.asText() : q.isMissingNode() || q.isNull() ? null : q.asText(),
                        item.path("updatedAt").isTextual()
                                ? item.path("updatedAt").asText()
                                : null,
                        fetchedAt,
                        index++,
                        sink);
            }
        }
    }

    private static void row(String sku, String quantity, String time, Instant fetchedAt, long where, Sink sink) {
        if (sku == null || !SKU.matcher(sku).matches()) {
            sink.bad(
                    where,
                    "SKU " + (sku == null || sku.isEmpty() ? "missing" : "'" + abbreviate(sku) + "' is not valid"));
            return;
        }
        int qty;
        try {
            qty = Integer.parseInt(quantity == null ? "" : quantity);
        } catch (NumberFormatException e) {
            sink.bad(where, sku + ": quantity '" + abbreviate(quantity) + "' is not a whole number");
            return;
        }
        if (qty < 0 || qty > 100_000_000) {
            sink.bad(where, sku + ": quantity " + qty + " is not between 0 and 100000000");
            return;
        }
        Instant stamp = fetchedAt;
        if (time != null && !time.isEmpty()) {
            try {
                stamp = OffsetDateTime.parse(time).toInstant();
            } catch (DateTimeParseException e) {
                try {
                    stamp = Instant.parse(time);
                } catch (DateTimeParseException e2) {
                    sink.bad(where, sku + ": time '" + abbreviate(time) + "' is not ISO-8601 (2026-11-23T10:15:30Z)");
                    return;
                }
            }
        }
        sink.row(new Quantity(sku, qty, stamp));
    }

    private static int column(List<String> header, List<String> names) {
        for (String name : names) {
            for (int i = 0; i < header.size(); i++) {
                String h = header.get(i)
                        .trim()
                        .toLowerCase(Locale.ROOT)
                        .replace('_', ' ')
                        .replace('-', ' ');
                if (h.equals(name)) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static int count(String s, char c) {
        return (int) s.chars().filter(x -> x == c).count();
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /** The feed as a whole cannot be read. */
    public static final class FeedException extends RuntimeException {
        public FeedException(String message) {
            super(message, null, false, false);
        }
    }
}
