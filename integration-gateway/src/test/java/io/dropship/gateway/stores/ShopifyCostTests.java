package io.dropship.gateway.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Shopify's cost budget, read from each answer's extensions.cost as the Admin API reports it. */
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
    void plentyOfBudgetMeansNoWait() {
        assertEquals(Duration.ZERO, ShopifyAdminClient.budgetWait(answer(10, 1990, 100)));
        assertEquals(Duration.ZERO, ShopifyAdminClient.budgetWait(answer(35, 70, 100)));
        assertEquals(Duration.ZERO, ShopifyAdminClient.budgetWait(new JsonObject().put("data", new JsonObject())));
    }

    @Test
    void aLowBudgetWaitsUntilTwiceTheLastCostIsRestored() {
        // 35 points a call, 10 left, 50 restored a second: (70 - 10) / 50 = 1.2 s.
        assertEquals(Duration.ofMillis(1200), ShopifyAdminClient.budgetWait(answer(35, 10, 50)));
        assertEquals(Duration.ofMillis(200), ShopifyAdminClient.budgetWait(answer(10, 0, 100)));
    }

    @Test
    void aThrottledCallWaitsForItsOwnCost() {
        JsonObject throttled = answer(250, 40, 100);
        assertEquals(Duration.ofMillis(2100), ShopifyAdminClient.refill(throttled));
    }
}
