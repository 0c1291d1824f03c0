package io.dropship.order.messaging.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** catalog-service's events as order-service reads them (tolerant reader: only what routing needs). */
public final class CatalogEvents {

    private CatalogEvents() {}

    public record SupplierChanged(
            String supplierId, String status, String shipFromRegion, Integer handlingDays, Instant changedAt) {}

    public record SupplierProductChanged(
            String supplierId,
            String sku,
            BigDecimal wholesalePrice,
            BigDecimal shippingCost,
            String currency,
            String status,
            Instant changedAt) {}

    /** An import's changed products, many to an event, on the SupplierProductChanged topic. */
    public record SupplierProductsChanged(List<SupplierProductChanged> products) {}

    /** Inventory's StockChanged, as far as routing cares: whether the supplier product has stock to sell again. */
    public record StockChanged(String supplierId, String sku, Integer available, Instant changedAt) {}

    public record ListingChanged(
            String listingId, String retailerId, String sku, String status, List<Offer> offers, Instant changedAt) {
        public record Offer(String supplierId, String sku, int priority) {}
    }
}
