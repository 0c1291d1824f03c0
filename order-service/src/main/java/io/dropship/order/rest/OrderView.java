package io.dropship.order.rest;

import io.dropship.order.domain.Address;
import io.dropship.order.domain.OrderStatus;
import io.dropship.order.repository.CustomerOrder;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An order as the API shows it. */
public record OrderView(UUID orderId, String orderNumber, String retailerId, String storeId, String storePlatform,
                        String storeOrderId, OrderStatus status, String holdReason, String currency,
                        List<Line> lines, Address shippingAddress, Totals totals, Instant placedAt,
                        Instant updatedAt) {

    public record Line(String lineId, String listingId, String sku, String title, int quantity, BigDecimal retailPrice) {
    }

    public record Totals(BigDecimal subtotal, BigDecimal shipping, BigDecimal tax, BigDecimal discount, BigDecimal total) {
    }

    /** A row of an order list: no lines, no address. */
    public record Summary(UUID orderId, String orderNumber, String retailerId, String storeOrderId, OrderStatus status,
                          String holdReason, String currency, BigDecimal total, Instant placedAt) {
        public static Summary of(CustomerOrder o) {
            return new Summary(o.id, o.orderNumber, o.retailerId, o.storeOrderId, o.status, o.holdReason, o.currency,
                    o.total, o.placedAt);
        }
    }

    public static OrderView of(CustomerOrder o) {
        return new OrderView(o.id, o.orderNumber, o.retailerId, o.storeId, o.storePlatform, o.storeOrderId, o.status,
                o.holdReason, o.currency,
                o.lines.stream().map(l -> new Line(l.lineId, l.listingId, l.sku, l.title, l.quantity, l.retailPrice)).toList(),
                o.shippingAddress, new Totals(o.subtotal, o.shipping, o.tax, o.discount, o.total), o.placedAt, o.updatedAt);
    }
}
