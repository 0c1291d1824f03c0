package io.dropship.gateway.webhook;

import static io.dropship.gateway.webhook.WebhookCalls.load;
import static io.dropship.gateway.webhook.WebhookCalls.shopify;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.testkit.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * A burst of webhooks larger than the connection pool: each delivery's transaction holds one connection, so nothing
 * in it may ask the pool for a second. When the retailer check did (on every expiry of its cache), the deliveries in
 * hand waited for connections only they held, until the pool's 30 s timeout, and were kept for a retry instead of
 * taken in. With a pool of two, a burst of them shows it.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
@TestProfile(WebhookBurstIT.SmallPool.class)
class WebhookBurstIT {

    public static class SmallPool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.max-size", "2");
        }
    }

    private static final int BURST = 24;

    @Test
    void moreWebhooksAtOnceThanConnectionsAreAllTakenIn() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String shop = "burst-" + run + ".myshopify.com";
        WebhookCalls.connect("ret-burst-" + run, "SHOPIFY", shop);
        // Connecting the store asked whether the retailer is suspended; that answer is kept for 5 s. The burst comes
        // after it expired, as the bench's webhooks met it every 5 s.
        Thread.sleep(5_500);
        List<CompletableFuture<String>> answers = new ArrayList<>();
        // A thread each: the common pool has one thread on a two-core machine, which would send them in turn.
        ExecutorService senders = Executors.newFixedThreadPool(BURST);
        for (int i = 0; i < BURST; i++) {
            ObjectNode order = load("shopify-order.json")
                    .put("id", Math.abs(UUID.randomUUID().getMostSignificantBits()));
            answers.add(CompletableFuture.supplyAsync(
                    () -> {
                        io.restassured.response.ExtractableResponse<?> r = shopify(
                                        shop, "orders/paid", UUID.randomUUID().toString(), order.toString())
                                .extract();
                        return r.statusCode() + " " + r.path("outcome");
                    },
                    senders));
        }
        List<String> outcomes = new ArrayList<>();
        for (CompletableFuture<String> a : answers) {
            outcomes.add(a.get());
        }
        senders.shutdown();
        assertEquals(
                BURST,
                (int) outcomes.stream().filter("200 ORDER_ACCEPTED"::equals).count(),
                "every delivery taken in at once: " + outcomes);
    }
}
