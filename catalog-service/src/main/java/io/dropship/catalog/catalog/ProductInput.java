package io.dropship.catalog.catalog;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** One product as a supplier sends it, by API or in an import file, already validated. */
public record ProductInput(
        String sku,
        String title,
        String description,
        BigDecimal wholesalePrice,
        BigDecimal shippingCost,
        String currency,
        String status,
        BigDecimal msrp,
        BigDecimal mapPrice,
        List<String> images,
        String category,
        Integer weightGrams,
        String shippingClass,
        Map<String, Object> attributes) {

    public static final List<String> STATUSES = List.of("ACTIVE", "OUT_OF_STOCK", "DISCONTINUED");
}
