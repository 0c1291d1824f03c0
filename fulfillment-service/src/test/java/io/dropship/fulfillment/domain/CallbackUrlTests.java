package io.dropship.fulfillment.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CallbackUrlTests {

    @Test
    void anHttpsUrlIsAccepted() {
        assertEquals(
                "supplier.example.com",
                CallbackUrl.parse("https://supplier.example.com/dropship/orders", true)
                        .getHost());
    }

    @Test
    void plainHttpIsAcceptedOnlyOnLoopbackAndOnlyWherePrivateAddressesAreAllowed() {
        CallbackUrl.parse("http://localhost:9000/orders", true);
        CallbackUrl.parse("http://127.0.0.1:9000/orders", true);
        assertThrows(
                IllegalArgumentException.class, () -> CallbackUrl.parse("http://supplier.example.com/orders", true));
        assertThrows(IllegalArgumentException.class, () -> CallbackUrl.parse("http://127.0.0.1:9000/orders"));
    }

    @Test
    void inProductionTheEndpointMustBeOnThePublicInternet() {
        assertEquals(
                "93.184.216.34",
                CallbackUrl.parse("https://93.184.216.34/orders").getHost());
        for (String inside : new String[] {
            "https://127.0.0.1/orders",
            "https://localhost/orders",
            "https://10.0.0.5/orders",
            "https://169.254.169.254/latest/meta-data",
            "https://100.64.0.1/orders",
            "https://[fd00::1]/orders",
            "https://[::ffff:10.0.0.1]/orders",
            "https://no-such-host.invalid/orders"
        }) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> CallbackUrl.parse(inside), inside);
            assertTrue(e.getMessage().startsWith("the callback URL must reach the public internet"), e.getMessage());
        }
    }

    @Test
    void relativeMalformedOrCredentialCarryingUrlsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> CallbackUrl.parse("/orders"));
        assertThrows(IllegalArgumentException.class, () -> CallbackUrl.parse("https://exa mple.com"));
        assertThrows(IllegalArgumentException.class, () -> CallbackUrl.parse("https://user:pw@example.com/"));
        assertThrows(IllegalArgumentException.class, () -> CallbackUrl.parse("ftp://example.com/"));
        assertThrows(IllegalArgumentException.class, () -> CallbackUrl.parse(null));
    }
}
