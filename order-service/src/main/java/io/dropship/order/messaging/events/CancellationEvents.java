package io.dropship.order.messaging.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The cancellation and rejection events as order-service reads and writes them. */
public final class CancellationEvents {

    private CancellationEvents() {}

    /** From integration-gateway: the store cancelled the order. */
    public record OrderCancelled(UUID orderId, String source, String reason, Instant cancelledAt) {}

    /** From fulfillment-service: the supplier declined its supplier order. */
    public record SupplierOrderRejected(
            UUID supplierOrderId, UUID orderId, String supplierId, String reason, List<Line> lines) {
        public record Line(String lineId, String sku, int quantity) {}
    }

    /** To inventory-service and fulfillment-service: this supplier order will not be fulfilled. */
    public record SupplierOrderCancelled(
            UUID supplierOrderId, UUID orderId, String supplierId, String reason, Instant cancelledAt) {
        public static final String TOPIC = "SupplierOrderCancelled";
    }
}
