package io.dropship.order.messaging.events;

import io.dropship.order.domain.Address;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** OrderPlaced as this service reads it: only the fields it uses (contracts/events/OrderPlaced.schema.json). */
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
        Totals totals,
        Instant placedAt) {

    public record Line(
            String lineId, String listingId, String sku, String title, int quantity, BigDecimal retailPrice) {}

    public record Totals(
            BigDecimal subtotal, BigDecimal shipping, BigDecimal tax, BigDecimal discount, BigDecimal total) {}
}
