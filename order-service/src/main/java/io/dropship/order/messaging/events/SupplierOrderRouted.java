package io.dropship.order.messaging.events;

import io.dropship.order.domain.Address;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** SupplierOrderRouted as this service writes it (contracts/events/SupplierOrderRouted.schema.json). */
public record SupplierOrderRouted(
        UUID supplierOrderId,
        UUID orderId,
        String orderNumber,
        String retailerId,
        String supplierId,
        String storeOrderId,
        String currency,
        List<Line> lines,
        Address shippingAddress,
        BigDecimal wholesaleTotal,
        BigDecimal shippingCost,
        int attempt,
        int routedTogether,
        Instant routedAt,
        boolean noCharge,
        UUID reshipOf) {

    public static final String TOPIC = "SupplierOrderRouted";

    public SupplierOrderRouted(
            UUID supplierOrderId,
            UUID orderId,
            String orderNumber,
            String retailerId,
            String supplierId,
            String storeOrderId,
            String currency,
            List<Line> lines,
            Address shippingAddress,
            BigDecimal wholesaleTotal,
            BigDecimal shippingCost,
            int attempt,
            int routedTogether,
            Instant routedAt) {
        this(
                supplierOrderId,
                orderId,
                orderNumber,
                retailerId,
                supplierId,
                storeOrderId,
                currency,
                lines,
                shippingAddress,
                wholesaleTotal,
                shippingCost,
                attempt,
                routedTogether,
                routedAt,
                false,
                null);
    }

    public record Line(
            String lineId,
            String listingId,
            String supplierProductId,
            String sku,
            String title,
            int quantity,
            BigDecimal wholesalePrice,
            BigDecimal retailPrice) {}
}
