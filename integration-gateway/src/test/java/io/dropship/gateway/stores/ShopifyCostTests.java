package io.dropship.gateway.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Shopify's cost budget, kept between answers and set by each answer's extensions.cost as the Admin API reports it. */
class ShopifyCostTests {

    static JsonObject answer(double requested, double available, double restoreRate) {
        return new JsonObject()
                .put("data", new JsonObject())
                .put(
                        "extensions",
                        new JsonObject()
                                .put(
                                        "cost",
                                        new JsonObject()
                                                .put("requestedQueryCost", requested)
                                                .put("actualQueryCost", requested)
                                                .put(
                                                        "throttleStatus",
                                                        new JsonObject()
                                                                .put("maximumAvailable", 2000.0)
                                                                .put("currentlyAvailable", available)
                                                                .put("restoreRate", restoreRate))));
    }

    @Test
    void callsGoAtOnceWhileTheBucketHoldsTheirCost() {
        ShopifyBudget budget = new ShopifyBudget();
        budget.answered(0, answer(10, 1990, 100));
        for (int i = 0; i < 150; i++) {
            assertEquals(Duration.ZERO, budget.take(10), "call " + i);
        }
        // An answer without a throttle status changes only what is under way.
        budget.answered(10, new JsonObject().put("data", new JsonObject()));
        assertTrue(budget.available() > 480 && budget.available() < 530, "1,990 - 1,500, and a little restored");
    }

    @Test
    void callsBeyondTheBucketWaitInTurnOneCostApartAtTheRestoreRate() {
        ShopifyBudget budget = new ShopifyBudget();
        budget.answered(0, answer(35, 10, 50));
        // 10 points left at 50 a second: a call of 35 waits until 25 more are restored (0.5 s), the next one 0.7 s
        // after that, and so on.
        assertWithin(Duration.ofMillis(500), budget.take(35));
        assertWithin(Duration.ofMillis(1200), budget.take(35));
        assertWithin(Duration.ofMillis(1900), budget.take(35));
    }

    @Test
    void anAnswerSetsTheBucketLessTheCallsStillUnderWay() {
        ShopifyBudget budget = new ShopifyBudget();
        budget.take(10);
        budget.take(10);
        budget.take(10);
        // The first of three answers: the shop has 100 left after it; the other two will take 20 more.
        budget.answered(10, answer(10, 100, 100));
        assertTrue(budget.available() >= 80 && budget.available() < 82, "100 - 20");
        budget.answered(10, answer(10, 95, 100));
        budget.answered(10, answer(10, 90, 100));
        assertTrue(budget.available() >= 90 && budget.available() < 92, "what the last answer said");
    }

    @Test
    void aShopNotHeardFromYetIsGivenTheSmallestBucket() {
        ShopifyBudget budget = new ShopifyBudget();
        for (int i = 0; i < 100; i++) {
            assertEquals(Duration.ZERO, budget.take(10), "call " + i);
        }
        assertTrue(budget.take(10).toMillis() >= 150, "1,000 points taken; the next 10 come at 50 a second");
    }

    private static void assertWithin(Duration expected, Duration actual) {
        assertTrue(
                Math.abs(expected.toMillis() - actual.toMillis()) <= 20,
                "expected about " + expected + ", was " + actual);
    }

    @Test
    void aThrottledCallWaitsForItsOwnCost() {
        JsonObject throttled = answer(250, 40, 100);
        assertEquals(Duration.ofMillis(2100), ShopifyAdminClient.refill(throttled));
    }
}
