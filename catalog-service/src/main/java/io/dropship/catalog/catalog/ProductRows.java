package io.dropship.catalog.catalog;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A batch of products as {@link SupplierProducts}' statement reads them: one JSON array of rows, written as the
 * products come. An import's lane gathers 2,000 rows while the one before is written; held as objects (the product,
 * its amounts, images and attributes, then the statement's column arrays) a batch was about 3 MB, outlived the young
 * collections and filled the old generation, and full collections were a quarter of catalog-service's CPU in an
 * import. As its JSON it is about 300 bytes a row, and the product it came from is garbage at once.
 *
 * <p>Not thread-safe: one writer at a time. Keys are the statement's column names; amounts are written as their plain
 * text, as the statement casts them.
 */
public final class ProductRows {

    private final ByteArrayBuilder out = new ByteArrayBuilder(16 * 1024);
    private final JsonGenerator json;
    private int size;
    private String written;

    public ProductRows(JsonFactory factory) {
        try {
            json = factory.createGenerator(out, JsonEncoding.UTF8);
            json.writeStartArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ProductRows of(JsonFactory factory, List<ProductInput> products) {
        ProductRows rows = new ProductRows(factory);
        products.forEach(rows::add);
        return rows;
    }

    public void add(ProductInput p) {
        if (written != null) {
            throw new IllegalStateException("the rows were written already");
        }
        try {
            json.writeStartObject();
            json.writeStringField("sku", p.sku());
            json.writeStringField("title", p.title());
            json.writeStringField("description", p.description());
            json.writeStringField("wholesale_price", plain(p.wholesalePrice()));
            json.writeStringField("shipping_cost", plain(p.shippingCost()));
            json.writeStringField("currency", p.currency());
            json.writeStringField("status", p.status());
            json.writeStringField("msrp", plain(p.msrp()));
            json.writeStringField("map_price", plain(p.mapPrice()));
            json.writeArrayFieldStart("images");
            if (p.images() != null) {
                for (String image : p.images()) {
                    json.writeString(image);
                }
            }
            json.writeEndArray();
            json.writeStringField("category", p.category());
            json.writeStringField(
                    "weight_grams",
                    p.weightGrams() == null ? null : p.weightGrams().toString());
            json.writeStringField("shipping_class", p.shippingClass());
            json.writeObjectFieldStart("attributes");
            if (p.attributes() != null) {
                for (Map.Entry<String, Object> a : p.attributes().entrySet()) {
                    if (a.getValue() instanceof String s) {
                        json.writeStringField(a.getKey(), s);
                    } else {
                        // the API's numbers and true/false, through the mapper's serializers
                        json.writeObjectField(a.getKey(), a.getValue());
                    }
                }
            }
            json.writeEndObject();
            json.writeEndObject();
            size++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows added, SKUs named twice counted twice. */
    public int size() {
        return size;
    }

    /** The JSON array; nothing can be added after. */
    public String json() {
        if (written == null) {
            try {
                json.writeEndArray();
                json.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            written = new String(out.toByteArray(), StandardCharsets.UTF_8);
            out.release();
        }
        return written;
    }

    private static String plain(BigDecimal amount) {
        return amount == null ? null : amount.toPlainString();
    }
}
