package io.dropship.gateway.messaging.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Shipped as the gateway reads it: which store lines left in which parcel, and how to track it. */
public record Shipped(
        UUID shipmentId,
        UUID supplierOrderId,
        UUID orderId,
        String storeOrderId,
        String carrier,
        String trackingNumber,
        String trackingUrl,
        List<Line> lines,
        Instant shippedAt) {

    public record Line(String lineId, String sku, int quantity) {}
}
