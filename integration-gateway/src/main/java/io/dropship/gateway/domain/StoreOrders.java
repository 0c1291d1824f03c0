package io.dropship.gateway.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates Shopify and WooCommerce order payloads into the platform's {@link NormalizedOrder}. A field that cannot be
 * read as what it must be (a quantity that is not a whole number, a price that is not an amount) is an
 * IllegalArgumentException: the order is unreadable, and retrying it will not change that.
 */
public final class StoreOrders {

    private StoreOrders() {}

    /** A Shopify order (REST Admin API shape, as the orders/* webhooks send it). */
    public static NormalizedOrder fromShopify(JsonNode o) {
        List<NormalizedOrder.Line> lines = new ArrayList<>();
        for (JsonNode l : o.path("line_items")) {
            String sku = text(l, "sku");
            lines.add(new NormalizedOrder.Line(
                    text(l, "id"),
                    null,
                    text(l, "product_id"),
                    text(l, "variant_id"),
                    sku != null ? sku : "shopify-variant-" + text(l, "variant_id"),
                    text(l, "title"),
                    quantity(l),
                    money(l, "price")));
        }
        JsonNode a = o.path("shipping_address");
        String name = text(a, "name");
        if (name == null && (text(a, "first_name") != null || text(a, "last_name") != null)) {
            name = ((text(a, "first_name") == null ? "" : text(a, "first_name")) + " "
                            + (text(a, "last_name") == null ? "" : text(a, "last_name")))
                    .trim();
        }
        Address address = a.isMissingNode() || a.isNull()
                ? null
                : new Address(
                        name,
                        text(a, "company"),
                        text(a, "address1"),
                        text(a, "address2"),
                        text(a, "city"),
                        text(a, "province_code"),
                        text(a, "zip"),
                        text(a, "country_code"),
                        text(a, "phone"),
                        text(o, "email"));
        BigDecimal shipping = money(o.path("total_shipping_price_set").path("shop_money"), "amount");
        return new NormalizedOrder(
                text(o, "id"),
                null,
                text(o, "currency"),
                text(o, "email"),
                lines,
                address,
                new NormalizedOrder.Totals(
                        money(o, "subtotal_price"),
                        shipping,
                        money(o, "total_tax"),
                        money(o, "total_discounts"),
                        money(o, "total_price")));
    }

    /** A WooCommerce order (REST API v3 shape, as the order.* webhooks send it). */
    public static NormalizedOrder fromWooCommerce(JsonNode o) {
        List<NormalizedOrder.Line> lines = new ArrayList<>();
        BigDecimal subtotal = BigDecimal.ZERO;
        for (JsonNode l : o.path("line_items")) {
            String sku = text(l, "sku");
            String variation = text(l, "variation_id");
            BigDecimal price = money(l, "price");
            int quantity = quantity(l);
            lines.add(new NormalizedOrder.Line(
                    text(l, "id"),
                    null,
                    text(l, "product_id"),
                    "0".equals(variation) ? null : variation,
                    sku != null ? sku : "woo-product-" + text(l, "product_id"),
                    text(l, "name"),
                    quantity,
                    price));
            BigDecimal lineSubtotal = money(l, "subtotal");
            subtotal = subtotal.add(
                    lineSubtotal != null
                            ? lineSubtotal
                            : price == null ? BigDecimal.ZERO : price.multiply(BigDecimal.valueOf(quantity)));
        }
        JsonNode a = o.path("shipping");
        String name = ((text(a, "first_name") == null ? "" : text(a, "first_name")) + " "
                        + (text(a, "last_name") == null ? "" : text(a, "last_name")))
                .trim();
        Address address = a.isMissingNode() || a.isNull()
                ? null
                : new Address(
                        name.isEmpty() ? null : name,
                        text(a, "company"),
                        text(a, "address_1"),
                        text(a, "address_2"),
                        text(a, "city"),
                        text(a, "state"),
                        text(a, "postcode"),
                        text(a, "country"),
                        text(a, "phone"),
                        text(o.path("billing"), "email"));
        return new NormalizedOrder(
                text(o, "id"),
                null,
                text(o, "currency"),
                text(o.path("billing"), "email"),
                lines,
                address,
                new NormalizedOrder.Totals(
                        subtotal,
                        money(o, "shipping_total"),
                        money(o, "total_tax"),
                        money(o, "discount_total"),
                        money(o, "total")));
    }

    /** WooCommerce statuses that mean the customer has paid and the order should be fulfilled. */
    public static boolean wooReadyToFulfil(JsonNode o) {
        String status = text(o, "status");
        return "processing".equals(status) || "completed".equals(status);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        String s = v.asText();
        return s.isBlank() ? null : s;
    }

    /**
     * A line's quantity, strictly: a whole number that fits, or the order is unreadable. Jackson's lenient reading
     * would make "two" a 0 and 2^32 + 1 a 1.
     */
    private static int quantity(JsonNode line) {
        JsonNode q = line.path("quantity");
        if (q.isIntegralNumber() && q.canConvertToInt()) {
            return q.intValue();
        }
        if (q.isTextual() && q.asText().matches("-?\\d{1,9}")) {
            return Integer.parseInt(q.asText());
        }
        throw new IllegalArgumentException("quantity is not a whole number: " + q);
    }

    private static BigDecimal money(JsonNode node, String field) {
        String v = text(node, field);
        if (v == null) {
            return null;
        }
        try {
            return new BigDecimal(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " is not an amount: " + v);
        }
    }
}
