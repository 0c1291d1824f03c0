package io.dropship.catalog.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A supplier product as the catalog holds it. category: its taxonomy category's path, or the supplier's own text where
 * that maps onto no category (categoryId null then).
 */
public record Product(
        String supplierProductId,
        String supplierId,
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
        Map<String, Object> attributes,
        boolean inStock,
        Instant createdAt,
        Instant updatedAt,
        Long categoryId) {}
