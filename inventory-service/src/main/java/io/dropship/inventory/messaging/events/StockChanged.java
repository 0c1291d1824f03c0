package io.dropship.inventory.messaging.events;

import io.dropship.inventory.domain.StockLevel;
import io.dropship.inventory.domain.StockPolicy;
import java.time.Instant;

/**
 * StockChanged as this service writes it (contracts/events/StockChanged.schema.json). {@code shown} is what stores
 * may show under the supplier's policy ({@code showPercent} of available, rounded down); a retailer's own
 * percentage, applied by the gateway, overrides it.
 */
public record StockChanged(
        String supplierProductId,
        String supplierId,
        String sku,
        int onHand,
        int reserved,
        int available,
        int shown,
        int showPercent,
        boolean lowStock,
        String reason,
        String supplierOrderId,
        Instant supplierUpdatedAt,
        Instant changedAt) {

    public static final String TOPIC = "StockChanged";

    public static StockChanged of(
            StockLevel level, StockPolicy policy, String reason, String supplierOrderId, Instant supplierUpdatedAt) {
        int available = level.available();
        return new StockChanged(
                level.supplierProductId(),
                level.supplierId(),
                level.sku(),
                level.onHand(),
                level.reserved(),
                available,
                policy.shown(available),
                policy.showPercent(),
                policy.isLow(available),
                reason,
                supplierOrderId,
                supplierUpdatedAt,
                Instant.now());
    }
}
