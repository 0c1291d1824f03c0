package io.dropship.order.domain;

public enum OrderStatus {
    PENDING,
    ROUTED,
    PARTIALLY_SHIPPED,
    SHIPPED,
    DELIVERED,
    CANCELLED,
    ON_HOLD
}
