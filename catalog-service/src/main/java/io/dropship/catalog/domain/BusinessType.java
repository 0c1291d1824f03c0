package io.dropship.catalog.domain;

public enum BusinessType {
    MANUFACTURER,
    DISTRIBUTOR,
    WHOLESALER
}
