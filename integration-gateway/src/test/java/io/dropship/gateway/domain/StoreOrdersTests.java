package io.dropship.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class StoreOrdersTests {

    static JsonNode load(String name) throws Exception {
        try (InputStream in = StoreOrdersTests.class.getResourceAsStream("/webhooks/" + name)) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void aShopifyOrderBecomesANormalizedOrder() throws Exception {
        NormalizedOrder o = StoreOrders.fromShopify(load("shopify-order.json"));

        assertEquals("820982911946154508", o.storeOrderId());
        assertEquals("USD", o.currency());
        assertEquals(2, o.lines().size());
        assertEquals("STORE-MUG", o.lines().get(0).sku());
        assertEquals("808950810", o.lines().get(0).storeVariantId());
        assertEquals(new BigDecimal("14.99"), o.lines().get(0).retailPrice());
        assertEquals("Steve Shipper", o.shippingAddress().name());
        assertEquals("US", o.shippingAddress().country());
        assertEquals(new BigDecimal("4.95"), o.totals().shipping());
        assertEquals(new BigDecimal("44.93"), o.totals().total());
    }

    @Test
    void aShopifyLineWithoutSkuIsNamedByItsVariant() throws Exception {
        ObjectNode json = (ObjectNode) load("shopify-order.json");
        ((ObjectNode) json.get("line_items").get(1)).putNull("sku");
        assertEquals(
                "shopify-variant-808950811",
                StoreOrders.fromShopify(json).lines().get(1).sku());
    }

    @Test
    void aWooCommerceOrderBecomesANormalizedOrder() throws Exception {
        JsonNode json = load("woo-order.json");
        NormalizedOrder o = StoreOrders.fromWooCommerce(json);

        assertEquals("727", o.storeOrderId());
        assertEquals("John Doe", o.shippingAddress().name());
        assertEquals("94103", o.shippingAddress().postalCode());
        assertEquals("john.doe@example.com", o.customerEmail());
        assertEquals(new BigDecimal("3"), o.lines().get(0).retailPrice());
        assertNull(o.lines().get(0).storeVariantId(), "variation 0 means no variation");
        assertEquals("woo-product-22", o.lines().get(1).sku());
        assertEquals(new BigDecimal("18.00"), o.totals().subtotal());
        assertTrue(StoreOrders.wooReadyToFulfil(json));
    }

    @Test
    void aWooCommerceOrderAwaitingPaymentIsNotFulfilled() throws Exception {
        ObjectNode json = (ObjectNode) load("woo-order.json");
        json.put("status", "pending");
        assertFalse(StoreOrders.wooReadyToFulfil(json));
        json.put("status", "on-hold");
        assertFalse(StoreOrders.wooReadyToFulfil(json));
    }
}
