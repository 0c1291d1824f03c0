package io.dropship.fulfillment.domain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CallbackUrlTests {

    @Test
    void anHttpsUrlIsAccepted() {
        assertEquals("supplier.example.com", CallbackUrl.parse("https://supplier.example.com/dropship/orders").getHost());
    }

    @Test
    void plainHttpIsAcceptedOnlyOnLoopback() {
        CallbackUrl.parse("http://localhost:9000/orders");
        CallbackUrl.parse("http://127.0.0.1:9000/orders");
        assertThrows(IllegalArgumentException.class, () -> CallbackUrl.parse("http://supplier.example.com/orders"));
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
