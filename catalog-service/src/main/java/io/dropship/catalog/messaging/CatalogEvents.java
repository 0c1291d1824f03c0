package io.dropship.catalog.messaging;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** The events catalog-service publishes so that other services keep their own projections. */
public final class CatalogEvents {

    private CatalogEvents() {
    }

    public record SupplierChanged(String supplierId, String companyName, String status, String statusReason,
                                  String shipFromRegion, Integer handlingDays, List<String> shippingMethods,
                                  Instant changedAt) {
        public static final String TOPIC = "SupplierChanged";
    }

    public record SupplierProductChanged(String supplierProductId, String supplierId, String sku, String title,
                                         BigDecimal wholesalePrice, BigDecimal shippingCost, String currency,
                                         String status, Instant changedAt) {
        public static final String TOPIC = "SupplierProductChanged";
    }

    public record ListingChanged(String listingId, String retailerId, String sku, String title, String status,
                                 List<Offer> offers, Instant changedAt) {
        public static final String TOPIC = "ListingChanged";

        public record Offer(String supplierProductId, String supplierId, String sku, int priority) {
        }
    }
}
