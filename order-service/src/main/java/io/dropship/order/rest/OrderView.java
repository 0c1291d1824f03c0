package io.dropship.order.rest;

import io.dropship.order.domain.Address;
import io.dropship.order.domain.OrderStatus;
import io.dropship.order.entity.CustomerOrder;
import io.dropship.order.entity.SupplierOrder;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An order as the API shows it. */
public record OrderView(
        UUID orderId,
        String orderNumber,
        String retailerId,
        String storeId,
        String storePlatform,
        String storeOrderId,
        OrderStatus status,
        String holdReason,
        String cancellationReason,
        String currency,
        List<Line> lines,
        Address shippingAddress,
        Totals totals,
        List<SupplierOrderView> supplierOrders,
        List<Payment> payments,
        Instant placedAt,
        Instant updatedAt,
        Instant redactedAt) {

    /**
     * A payment of the retailer for this order, as settlement-service reported it. status: CHARGED, HELD (the last
     * attempt failed: problem and declineCode say why, nextAttemptAt when it is tried again, null when it waits for
     * the retailer), ON_CREDIT (its supplier orders went out on the retailer's credit terms). onCredit: they did.
     */
    public record Payment(
            UUID paymentId,
            String status,
            boolean onCredit,
            String problem,
            String declineCode,
            Instant nextAttemptAt) {}

    public record SupplierOrderView(
            UUID supplierOrderId,
            String supplierId,
            int attempt,
            String status,
            BigDecimal wholesaleTotal,
            BigDecimal shippingCost,
            Tracking tracking,
            List<SupplierLine> lines) {
        static SupplierOrderView of(SupplierOrder so) {
            Tracking tracking = so.trackingNumber == null
                    ? null
                    : new Tracking(so.carrier, so.trackingNumber, so.trackingUrl, so.shippedAt);
            return new SupplierOrderView(
                    so.id,
                    so.supplierId,
                    so.attempt,
                    so.status.name(),
                    so.wholesaleTotal,
                    so.shippingCost,
                    tracking,
                    so.lines.stream()
                            .map(l -> new SupplierLine(l.key.lineId(), l.sku, l.quantity, l.wholesalePrice))
                            .toList());
        }
    }

    public record Tracking(String carrier, String trackingNumber, String trackingUrl, Instant shippedAt) {}

    public record SupplierLine(String lineId, String sku, int quantity, BigDecimal wholesalePrice) {}

    public record Line(
            String lineId, String listingId, String sku, String title, int quantity, BigDecimal retailPrice) {}

    public record Totals(
            BigDecimal subtotal, BigDecimal shipping, BigDecimal tax, BigDecimal discount, BigDecimal total) {}

    /** A row of an order list: no lines, no address. */
    public record Summary(
            UUID orderId,
            String orderNumber,
            String retailerId,
            String storeOrderId,
            OrderStatus status,
            String holdReason,
            String currency,
            BigDecimal total,
            Instant placedAt) {
        public static Summary of(CustomerOrder o) {
            return new Summary(
                    o.id,
                    o.orderNumber,
                    o.retailerId,
                    o.storeOrderId,
                    o.status,
                    o.holdReason,
                    o.currency,
                    o.total,
                    o.placedAt);
        }
    }

    public static OrderView of(CustomerOrder o, List<SupplierOrder> supplierOrders, List<Payment> payments) {
        return new OrderView(
                o.id,
                o.orderNumber,
                o.retailerId,
                o.storeId,
                o.storePlatform,
                o.storeOrderId,
                o.status,
                o.holdReason,
                o.cancellationReason,
                o.currency,
                o.lines.stream()
                        .map(l -> new Line(l.lineId, l.listingId, l.sku, l.title, l.quantity, l.retailPrice))
                        .toList(),
                o.shippingAddress,
                new Totals(o.subtotal, o.shipping, o.tax, o.discount, o.total),
                supplierOrders.stream().map(SupplierOrderView::of).toList(),
                payments,
                o.placedAt,
                o.updatedAt,
                o.redactedAt);
    }
}
