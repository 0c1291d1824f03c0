package io.dropship.order.messaging.events;

import java.util.List;
import java.util.UUID;

/** inventory-service's answers to SupplierOrderRouted, as order-service reads them. */
public final class ReservationEvents {

    private ReservationEvents() {}

    public record StockReserved(UUID supplierOrderId, UUID orderId) {}

    public record ReservationRefused(
            UUID supplierOrderId, UUID orderId, String supplierId, List<ShortLine> shortLines) {
        public record ShortLine(String lineId, String sku, int requested, int available) {}
    }
}
