package io.dropship.gateway.stores;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/**
 * The platform as a Shopify app and a WooCommerce key requester, against the fake stores: the app's client id and
 * secret are registered at the fake Shopify, and the gateway listens on a port known up front, so that the stores can
 * call it back (WooCommerce POSTs the keys; Shopify delivers app/uninstalled).
 */
public class StoreAppsTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String CLIENT_ID = "dropship-test-app";
    public static final String CLIENT_SECRET = "shpss_app_secret_0123456789";
    private static int port;

    public static synchronized int port() {
        if (port == 0) {
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return port;
    }

    @Override
    public Map<String, String> start() {
        FakeStoresTestResource.fakes().shopifyApp(CLIENT_ID, CLIENT_SECRET);
        Map<String, String> config = new HashMap<>(new FakeStoresTestResource().start());
        config.put("quarkus.http.test-port", String.valueOf(port()));
        config.put("dropship.api.public-url", "http://127.0.0.1:" + port());
        config.put("dropship.shopify.client-id", CLIENT_ID);
        config.put("dropship.shopify.client-secret", CLIENT_SECRET);
        config.put("dropship.accounts.app-url", "https://app.dropship.test");
        return config;
    }

    @Override
    public void stop() {
        // The fakes outlive the application.
    }
}
