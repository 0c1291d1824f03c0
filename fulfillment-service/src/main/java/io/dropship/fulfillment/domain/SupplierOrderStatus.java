package io.dropship.fulfillment.domain;

/**
 * A supplier order at its supplier: RECEIVED once reserved; ACCEPTED by the supplier, or REJECTED (it is
 * re-routed); SHIPPED, then DELIVERED. A cancellation withdraws a RECEIVED order at once (CANCELLED); an
 * ACCEPTED one becomes CANCEL_REQUESTED until the supplier confirms (CANCELLED) or ships it anyway.
 */
public enum SupplierOrderStatus {
    RECEIVED, ACCEPTED, REJECTED, CANCEL_REQUESTED, SHIPPED, DELIVERED, CANCELLED
}
