package io.dropship.settlement.stripe;

import io.dropship.fakestores.FakeStores;
import io.dropship.fakestores.FakeStripe;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** A local fake of Stripe's API, once per test JVM, with settlement-service's stripe-java pointed at it. */
public class FakeStripeTestResource implements QuarkusTestResourceLifecycleManager {

    static final String KEY = "sk_test_settlement_tests";
    private static FakeStores fakes;

    public static synchronized FakeStores fakes() {
        if (fakes == null) {
            fakes = FakeStores.start(0);
            fakes.stripe(KEY);
        }
        return fakes;
    }

    public static FakeStripe stripe() {
        return fakes().stripe(KEY);
    }

    @Override
    public Map<String, String> start() {
        return Map.of(
                "dropship.stripe.api-base",
                fakes().stripeApiBase(),
                "dropship.stripe.secret-key",
                KEY,
                "dropship.stripe.max-network-retries",
                "0");
    }

    @Override
    public void stop() {
        // Lives as long as the test JVM, like the broker and the database.
    }
}
