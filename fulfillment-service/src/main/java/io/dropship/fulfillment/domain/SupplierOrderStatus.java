package io.dropship.fulfillment.domain;

/**
 * A supplier order at its supplier: AWAITING_PAYMENT once reserved, until settlement-service clears the retailer's
 * payment for it (PAYMENT_HELD while that payment failed), then RECEIVED, the first state its supplier sees;
 * ACCEPTED by the supplier, or REJECTED (it is re-routed); SHIPPED, then DELIVERED. A cancellation withdraws a
 * RECEIVED (or still unpaid) order at once (CANCELLED); an ACCEPTED one becomes CANCEL_REQUESTED until the supplier
 * confirms (CANCELLED) or ships it anyway. A supplier sees only the orders it was given ({@code released_at}).
 */
public enum SupplierOrderStatus {
    AWAITING_PAYMENT,
    PAYMENT_HELD,
    RECEIVED,
    ACCEPTED,
    REJECTED,
    CANCEL_REQUESTED,
    SHIPPED,
    DELIVERED,
    CANCELLED;

    /** Waiting for the retailer's payment: the supplier has not been given the order. */
    public boolean unpaid() {
        return this == AWAITING_PAYMENT || this == PAYMENT_HELD;
    }
}
