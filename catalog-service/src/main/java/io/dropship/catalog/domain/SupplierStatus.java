package io.dropship.catalog.domain;

public enum SupplierStatus {
    PENDING,
    ACTIVE,
    SUSPENDED
}
