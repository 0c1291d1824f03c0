package io.dropship.fulfillment.messaging.events;

import java.time.Instant;
import java.util.UUID;

/** Delivered as fulfillment-service publishes it (contracts/events/Delivered.schema.json). */
public record Delivered(UUID supplierOrderId, UUID orderId, String supplierId, UUID shipmentId, Instant deliveredAt) {
    public static final String TOPIC = "Delivered";
}
