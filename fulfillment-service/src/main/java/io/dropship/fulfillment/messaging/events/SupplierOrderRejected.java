package io.dropship.fulfillment.messaging.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** SupplierOrderRejected as fulfillment-service publishes it (contracts/events/SupplierOrderRejected.schema.json). */
public record SupplierOrderRejected(
        UUID supplierOrderId,
        UUID orderId,
        String supplierId,
        String reason,
        List<Shipped.Line> lines,
        Instant rejectedAt) {
    public static final String TOPIC = "SupplierOrderRejected";
}
