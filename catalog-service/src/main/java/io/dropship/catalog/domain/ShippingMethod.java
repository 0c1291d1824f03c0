package io.dropship.catalog.domain;

/** How a supplier can send parcels. */
public enum ShippingMethod {
    STANDARD,
    EXPEDITED,
    EXPRESS,
    FREIGHT,
    LOCAL_PICKUP
}
