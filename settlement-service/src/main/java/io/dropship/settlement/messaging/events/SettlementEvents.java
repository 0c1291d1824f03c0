package io.dropship.settlement.messaging.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

public final class SettlementEvents {

    private SettlementEvents() {}

    /**
     * StockReserved as settlement reads it: who owes what for the supplier order, and which routing made it;
     * {@code noCharge} for a reship (a case's outcome) that is neither charged nor paid out.
     */
    public record StockReserved(
            UUID supplierOrderId,
            UUID orderId,
            String orderNumber,
            String retailerId,
            String supplierId,
            String currency,
            BigDecimal wholesaleTotal,
            BigDecimal shippingCost,
            Integer attempt,
            Integer routedTogether,
            Boolean noCharge,
            List<Line> lines) {

        public record Line(String lineId, String sku, Integer quantity, BigDecimal wholesalePrice) {}
    }

    /** CaseUpdated as settlement reads it: a case resolved with a REFUND is money to give back. */
    public record CaseUpdated(
            UUID caseId,
            UUID orderId,
            UUID supplierOrderId,
            String supplierId,
            String retailerId,
            String kind,
            String event,
            String outcome,
            String refundAmount,
            String currency,
            String chargeTo) {}

    /** ListingChanged as settlement reads it: whose listing, and which suppliers are behind it. */
    public record ListingChanged(
            String listingId, String retailerId, String status, List<Offer> offers, Instant changedAt) {
        public record Offer(String supplierId) {}
    }

    /** SupplierFeatured as settlement reads it: featured until then, or not (null). */
    public record SupplierFeatured(String supplierId, Instant featuredUntil, Instant changedAt) {}

    /** ReservationRefused as settlement reads it: this supplier order is never charged; its lines are routed again. */
    public record ReservationRefused(
            UUID supplierOrderId, UUID orderId, String supplierId, Integer attempt, Integer routedTogether) {}

    /** SupplierOrderCancelled and SupplierOrderRejected as settlement reads them: this supplier order never ships. */
    public record SupplierOrderEnded(UUID supplierOrderId, UUID orderId, String supplierId, String reason) {}

    /** Shipped as settlement reads it. */
    public record Shipped(
            UUID shipmentId,
            UUID supplierOrderId,
            UUID orderId,
            String retailerId,
            String supplierId,
            Instant shippedAt) {}

    /** Settled as this service writes it (contracts/events/Settled.schema.json). */
    public record Settled(
            UUID settlementId,
            UUID supplierOrderId,
            UUID orderId,
            String supplierId,
            String retailerId,
            String currency,
            BigDecimal wholesaleTotal,
            BigDecimal shippingCost,
            BigDecimal platformFee,
            BigDecimal retailerCharge,
            BigDecimal supplierPayout,
            String paymentIntentId,
            String chargeId,
            String transferId,
            Instant settledAt,
            BigDecimal listingFee) {
        public static final String TOPIC = "Settled";
    }

    /**
     * SubscriptionChanged (contracts/events/SubscriptionChanged.schema.json): a retailer's subscription as Stripe last
     * said it, with the plan's limits, whether new orders are suspended, and the invoice just paid, if one was.
     */
    public record SubscriptionChanged(
            String retailerId,
            String subscriptionId,
            String plan,
            String status,
            boolean suspended,
            Instant graceUntil,
            Integer monthlyOrderLimit,
            Integer supplierLimit,
            Instant currentPeriodEnd,
            boolean cancelAtPeriodEnd,
            InvoicePaid invoicePaid,
            Instant changedAt) {
        public static final String TOPIC = "SubscriptionChanged";

        /** A subscription invoice Stripe was paid: the platform's subscription revenue. */
        public record InvoicePaid(
                String invoiceId, String billingReason, BigDecimal amountPaid, String currency, Instant paidAt) {}
    }

    /** PaymentFailed as this service writes it (contracts/events/PaymentFailed.schema.json). */
    public record PaymentFailed(
            UUID paymentId,
            UUID orderId,
            String orderNumber,
            String retailerId,
            List<UUID> supplierOrderIds,
            String currency,
            BigDecimal amount,
            String reason,
            String declineCode,
            String holdReason,
            int attempts,
            Instant nextAttemptAt,
            Instant failedAt) {
        public static final String TOPIC = "PaymentFailed";
    }

    /**
     * RetailerBrandingChanged (contracts/events/RetailerBrandingChanged.schema.json): the retailer's business name,
     * address, colour and footer, for the documents other services print in its name (fulfillment's packing slips).
     */
    public record RetailerBrandingChanged(
            String retailerId,
            String businessName,
            List<String> addressLines,
            String accentColor,
            String footer,
            Instant changedAt) {
        public static final String TOPIC = "RetailerBrandingChanged";
    }

    /** ReturnPolicyChanged (contracts/events/ReturnPolicyChanged.schema.json): a supplier's return policy, for the directory. */
    public record ReturnPolicyChanged(
            String supplierId,
            boolean acceptsReturns,
            int windowDays,
            boolean refundShipping,
            java.math.BigDecimal restockingFeePercent,
            String returnShippingPaidBy,
            Instant changedAt) {
        public static final String TOPIC = "ReturnPolicyChanged";
    }

    /** PaymentCleared as this service writes it (contracts/events/PaymentCleared.schema.json). */
    public record PaymentCleared(
            UUID paymentId,
            UUID orderId,
            String orderNumber,
            String retailerId,
            List<UUID> supplierOrderIds,
            String basis,
            String currency,
            BigDecimal amount,
            Instant clearedAt) {
        public static final String TOPIC = "PaymentCleared";
    }
}
