package io.dropship.gateway.messaging.events;

import java.time.Instant;
import java.util.UUID;

/** OrderCancelled as the gateway publishes it (contracts/events/OrderCancelled.schema.json). */
public record OrderCancelled(
        UUID orderId,
        String orderNumber,
        String retailerId,
        String storeId,
        String storeOrderId,
        String source,
        String reason,
        Instant cancelledAt) {
    public static final String TOPIC = "OrderCancelled";
}
