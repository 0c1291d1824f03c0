package io.dropship.gateway.messaging.events;

import java.time.Instant;
import java.util.UUID;

/** OrderStatusChanged as the gateway reads it: an order the platform cancelled, and whether its store is to be told. */
public record OrderStatusChanged(
        UUID orderId,
        String orderNumber,
        String retailerId,
        String storeId,
        String storeOrderId,
        String status,
        String previousStatus,
        String reason,
        String source,
        boolean tellStore,
        String customerMessage,
        Instant occurredAt) {}
