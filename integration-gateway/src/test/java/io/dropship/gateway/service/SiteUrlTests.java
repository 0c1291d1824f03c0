package io.dropship.gateway.service;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which WooCommerce site URLs the gateway may call, in production and on the local fleet. */
class SiteUrlTests {

    @Test
    void inProductionASiteMustBeHttpsOnThePublicInternet() {
        assertNull(StoreConnections.siteRefusal("https://93.184.216.34/shop", true));
        assertTrue(
                StoreConnections.siteRefusal("http://93.184.216.34/shop", true).contains("https"));
        for (String inside : new String[] {
            "https://127.0.0.1:8290/woo/x",
            "https://localhost/x",
            "https://10.0.0.7",
            "https://169.254.169.254/latest",
            "https://100.64.3.4",
            "https://[fd00::1]/x",
            "https://[::ffff:192.168.1.1]/x"
        }) {
            String why = StoreConnections.siteRefusal(inside, true);
            assertTrue(
                    why != null && why.startsWith("a WooCommerce site must be on the public internet"),
                    inside + ": " + why);
        }
    }

    @Test
    void whereTheFakeStoresRunOnThisMachineAnySiteIsAllowed() {
        assertNull(StoreConnections.siteRefusal("http://127.0.0.1:8290/woo/demo", false));
    }
}
