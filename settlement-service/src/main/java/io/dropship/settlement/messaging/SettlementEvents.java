package io.dropship.settlement.messaging;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

public final class SettlementEvents {

    private SettlementEvents() {
    }

    /** StockReserved as settlement reads it: who owes what for the supplier order. */
    public record StockReserved(UUID supplierOrderId, UUID orderId, String orderNumber, String retailerId,
                                String supplierId, String currency, BigDecimal wholesaleTotal, BigDecimal shippingCost) {
    }

    /** Shipped as settlement reads it. */
    public record Shipped(UUID shipmentId, UUID supplierOrderId, UUID orderId, String retailerId, String supplierId,
                          Instant shippedAt) {
    }

    /** Settled as this service writes it (contracts/events/Settled.schema.json). */
    public record Settled(UUID settlementId, UUID supplierOrderId, UUID orderId, String supplierId, String retailerId,
                          String currency, BigDecimal wholesaleTotal, BigDecimal shippingCost, BigDecimal platformFee,
                          BigDecimal retailerCharge, BigDecimal supplierPayout, Instant settledAt) {
        public static final String TOPIC = "Settled";
    }
}
