package io.dropship.fulfillment.domain;

public enum SupplierOrderStatus {
    RECEIVED, ACCEPTED, REJECTED, SHIPPED, DELIVERED, CANCELLED
}
