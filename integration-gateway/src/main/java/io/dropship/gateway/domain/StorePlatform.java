package io.dropship.gateway.domain;

public enum StorePlatform {
    SHOPIFY,
    WOOCOMMERCE,
    CUSTOM
}
