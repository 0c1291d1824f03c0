package io.dropship.gateway.stores;

import io.dropship.fakestores.FakeStores;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Local fake Shopify and WooCommerce stores, once per test JVM, with the gateway pointed at them and retrying fast. */
public class FakeStoresTestResource implements QuarkusTestResourceLifecycleManager {

    private static FakeStores fakes;

    public static synchronized FakeStores fakes() {
        if (fakes == null) {
            fakes = FakeStores.start(0);
        }
        return fakes;
    }

    @Override
    public Map<String, String> start() {
        return Map.of(
                "dropship.shopify.admin-url", fakes().shopifyAdminUrlTemplate(),
                "dropship.shopify.calls-per-second", "20",
                "dropship.woocommerce.calls-per-second", "20",
                "dropship.store-push.poll-interval", "PT0.1S",
                "dropship.store-push.backoff-initial", "PT0.2S",
                "dropship.store-push.max-attempts", "4");
    }

    @Override
    public void stop() {
        // The fakes live as long as the test JVM, like the broker and the database.
    }
}
