package io.dropship.fulfillment.messaging.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Shipped as this service writes it (contracts/events/Shipped.schema.json). */
public record Shipped(
        UUID shipmentId,
        UUID supplierOrderId,
        UUID orderId,
        String supplierId,
        String retailerId,
        String storeOrderId,
        String carrier,
        String trackingNumber,
        String trackingUrl,
        List<Line> lines,
        Instant shippedAt) {

    public static final String TOPIC = "Shipped";

    public record Line(String lineId, String sku, int quantity) {}
}
