package io.dropship.inventory.messaging;

import io.dropship.inventory.domain.StockLevel;

import java.time.Instant;

/** StockChanged as this service writes it (contracts/events/StockChanged.schema.json). */
public record StockChanged(String supplierProductId, String supplierId, String sku, int onHand, int reserved,
                           int available, boolean lowStock, String reason, String supplierOrderId,
                           Instant supplierUpdatedAt, Instant changedAt) {

    public static final String TOPIC = "StockChanged";

    public static StockChanged of(StockLevel level, int lowStockThreshold, String reason, String supplierOrderId,
                                  Instant supplierUpdatedAt) {
        return new StockChanged(level.supplierProductId(), level.supplierId(), level.sku(), level.onHand(),
                level.reserved(), level.available(), level.isLow(lowStockThreshold), reason, supplierOrderId,
                supplierUpdatedAt, Instant.now());
    }
}
