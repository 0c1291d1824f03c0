package io.dropship.order.messaging.events;

import io.dropship.order.domain.OrderStatus;
import io.dropship.order.entity.CustomerOrder;
import io.dropship.platform.sql.SqlValues;
import java.time.Instant;
import java.util.UUID;

/**
 * OrderStatusChanged as this service writes it (contracts/events/OrderStatusChanged.schema.json): an order went on
 * hold, left hold, was cancelled or was delivered, who did it and why.
 */
public record OrderStatusChanged(
        UUID orderId,
        String orderNumber,
        String retailerId,
        String storeId,
        String storePlatform,
        String storeOrderId,
        String status,
        String previousStatus,
        String reason,
        String source,
        boolean tellStore,
        String customerMessage,
        Instant occurredAt) {

    public static final String TOPIC = "OrderStatusChanged";

    /** The order as it is now, having been {@code previous}. */
    public static OrderStatusChanged of(
            CustomerOrder order,
            OrderStatus previous,
            String reason,
            String source,
            boolean tellStore,
            String customerMessage) {
        return new OrderStatusChanged(
                order.id,
                order.orderNumber,
                order.retailerId,
                order.storeId,
                order.storePlatform,
                order.storeOrderId,
                order.status.name(),
                previous == null ? null : previous.name(),
                SqlValues.fit(reason, 2000),
                source,
                tellStore,
                SqlValues.fit(customerMessage, 500),
                Instant.now());
    }
}
