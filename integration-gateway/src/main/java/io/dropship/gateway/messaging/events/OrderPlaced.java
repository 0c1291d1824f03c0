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
        Instant placedAt) {

    public static final String TOPIC = "OrderPlaced";

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
            Instant placedAt) {
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
                placedAt);
    }
}
