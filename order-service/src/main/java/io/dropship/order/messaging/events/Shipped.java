package io.dropship.order.messaging.events;

import java.time.Instant;
import java.util.UUID;

/** Shipped as order-service reads it. */
public record Shipped(
        UUID supplierOrderId,
        UUID orderId,
        String carrier,
        String trackingNumber,
        String trackingUrl,
        Instant shippedAt) {}
