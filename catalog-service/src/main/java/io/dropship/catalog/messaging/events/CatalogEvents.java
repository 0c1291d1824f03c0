package io.dropship.catalog.messaging.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** The events catalog-service publishes so that other services keep their own projections. */
public final class CatalogEvents {

    private CatalogEvents() {}

    public record SupplierChanged(
            String supplierId,
            String companyName,
            String status,
            String statusReason,
            String shipFromRegion,
            Integer handlingDays,
            List<String> shippingMethods,
            Instant changedAt) {
        public static final String TOPIC = "SupplierChanged";
    }

    /** SupplierFeatured (contracts/events/SupplierFeatured.schema.json): featured until then, or not (null). */
    public record SupplierFeatured(String supplierId, Instant featuredUntil, Instant changedAt) {
        public static final String TOPIC = "SupplierFeatured";
    }

    public record SupplierProductChanged(
            String supplierProductId,
            String supplierId,
            String sku,
            String title,
            BigDecimal wholesalePrice,
            BigDecimal shippingCost,
            String currency,
            String status,
            Instant changedAt) {
        public static final String TOPIC = "SupplierProductChanged";
    }

    /**
     * A listing and its offers; when it is sold in a connected store, also the store and what the store shows:
     * the price set by the retailer's rule, the MSRP as compare-at price, the primary product's description and images.
     */
    public record ListingChanged(
            String listingId,
            String retailerId,
            String sku,
            String title,
            String status,
            List<Offer> offers,
            String storeId,
            BigDecimal price,
            BigDecimal compareAtPrice,
            String currency,
            String description,
            List<String> images,
            Instant changedAt) {
        public static final String TOPIC = "ListingChanged";

        public record Offer(String supplierProductId, String supplierId, String sku, int priority) {}
    }
}
