package io.dropship.gateway.messaging.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** The part of catalog-service's ListingChanged the gateway reads: what the store should show, and where. */
public record ListingChanged(
        String listingId,
        String retailerId,
        String sku,
        String title,
        String status,
        String storeId,
        BigDecimal price,
        BigDecimal compareAtPrice,
        String currency,
        String description,
        List<String> images,
        List<Offer> offers,
        Instant changedAt) {
    public static final String TOPIC = "ListingChanged";

    /** A supplier product behind the listing: its stock is what the store can sell. */
    public record Offer(String supplierProductId, Integer priority) {}
}
