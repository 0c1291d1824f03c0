package io.dropship.catalog.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch of products as {@link SupplierProducts}' statement takes them: fourteen text columns, filled as the products
 * come, a SKU named again taking its earlier row's place (the last row wins, as had the rows been sent one by one).
 * An import's lane gathers 2,000 rows while the one before is written; it used to hold them as the products
 * themselves (amounts, image lists, attribute maps) and turn them into these columns when it sent them, so a batch's
 * objects lived twice as long and were about twice the size. Only the columns' text is kept now; the product is
 * garbage as soon as it is added.
 *
 * <p>Not thread-safe: one writer at a time.
 */
public final class ProductRows {

    private static final int COLUMNS = 14;
    private static final String NO_IMAGES = "[]";
    private static final String NO_ATTRIBUTES = "{}";

    private final ObjectMapper mapper;
    private final Map<String, Integer> rowOfSku = new HashMap<>();
    private String[][] columns = new String[COLUMNS][64];
    private int rows;
    private int added;

    public ProductRows(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public static ProductRows of(ObjectMapper mapper, List<ProductInput> products) {
        ProductRows batch = new ProductRows(mapper);
        products.forEach(batch::add);
        return batch;
    }

    public void add(ProductInput p) {
        added++;
        Integer earlier = rowOfSku.putIfAbsent(p.sku(), rows);
        int row = earlier == null ? rows++ : earlier;
        if (row == columns[0].length) {
            for (int c = 0; c < COLUMNS; c++) {
                columns[c] = Arrays.copyOf(columns[c], row * 2);
            }
        }
        set(row, 0, p.sku());
        set(row, 1, p.title());
        set(row, 2, p.description());
        set(row, 3, plain(p.wholesalePrice()));
        set(row, 4, plain(p.shippingCost()));
        set(row, 5, p.currency());
        set(row, 6, p.status());
        set(row, 7, plain(p.msrp()));
        set(row, 8, plain(p.mapPrice()));
        set(row, 9, p.images() == null || p.images().isEmpty() ? NO_IMAGES : json(p.images()));
        set(row, 10, p.category());
        set(row, 11, p.weightGrams() == null ? null : p.weightGrams().toString());
        set(row, 12, p.shippingClass());
        set(row, 13, p.attributes() == null || p.attributes().isEmpty() ? NO_ATTRIBUTES : json(p.attributes()));
    }

    /** The rows added, a SKU named twice counted twice. */
    public int size() {
        return added;
    }

    /** The statement's columns, one row per SKU: sku, title, description, ... attributes (as JSON). */
    String[][] columns() {
        String[][] out = new String[COLUMNS][];
        for (int c = 0; c < COLUMNS; c++) {
            out[c] = Arrays.copyOf(columns[c], rows);
        }
        return out;
    }

    private void set(int row, int column, String value) {
        columns[column][row] = value;
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String plain(BigDecimal amount) {
        return amount == null ? null : amount.toPlainString();
    }
}
