package io.dropship.gateway.messaging.events;

import io.dropship.gateway.domain.Address;
import io.dropship.gateway.domain.NormalizedOrder;
import io.dropship.gateway.domain.StorePlatform;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The OrderPlaced event as this service writes it (contracts/events/OrderPlaced.schema.json). */
public record OrderPlaced(
        UUID orderId,
        String orderNumber,
        String retailerId,
        String storeId,
        String storePlatform,
        String storeOrderId,
        String currency,
        String customerEmail,
        List<Line> lines,
        Address shippingAddress,
        NormalizedOrder.Totals totals,
        Instant placedAt,
        Webhook webhook) {

    public static final String TOPIC = "OrderPlaced";

    /**
     * The store webhook that brought the order in; null for an order posted to the API. The order's timeline shows it
     * on the order's first entry, so the delivery needs no OrderActivity of its own.
     */
    public record Webhook(String topic, String deliveryKey, Instant triggeredAt) {}

    public record Line(
            String lineId,
            String listingId,
            String storeProductId,
            String storeVariantId,
            String sku,
            String title,
            int quantity,
            BigDecimal retailPrice) {}

    public static OrderPlaced of(
            UUID orderId,
            String orderNumber,
            String retailerId,
            String storeId,
            StorePlatform platform,
            NormalizedOrder order,
            Instant placedAt,
            Webhook webhook) {
        return new OrderPlaced(
                orderId,
                orderNumber,
                retailerId,
                storeId,
                platform.name(),
                order.storeOrderId(),
                order.currency(),
                order.customerEmail(),
                order.lines().stream()
                        .map(l -> new Line(
                                l.lineId(),
                                l.listingId(),
                                l.storeProductId(),
                                l.storeVariantId(),
                                l.sku(),
                                l.title(),
                                l.quantity(),
                                l.retailPrice()))
                        .toList(),
                order.shippingAddress(),
                order.completeTotals(),
                placedAt,
                webhook);
    }
}
