package io.dropship.gateway.webhook;

import static io.dropship.gateway.webhook.WebhookCalls.load;
import static io.dropship.gateway.webhook.WebhookCalls.shopify;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.testkit.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * More deliveries at once than the gateway takes in at once ({@code dropship.webhooks.max-in-flight}, 2 here): the
 * rest are kept with one insert and answered 202 PENDING at once, then taken in right behind them by the retry job
 * (nudged; its own poll is an hour here), each exactly once. A redelivery of a queued one is a duplicate.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
@TestProfile(WebhookOverloadIT.TwoAtOnce.class)
class WebhookOverloadIT {

    public static class TwoAtOnce implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dropship.webhooks.max-in-flight", "2", "dropship.webhooks.retry-poll", "PT1H");
        }
    }

    private static final int BURST = 24;

    @Test
    void aBurstBeyondWhatIsTakenInAtOnceIsAnsweredAtOnceAndTakenInBehindIt() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String shop = "overload-" + run + ".myshopify.com";
        String storeId = WebhookCalls.connect("ret-overload-" + run, "SHOPIFY", shop);
        List<String> events = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        List<CompletableFuture<String>> answers = new ArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(BURST);
        for (int i = 0; i < BURST; i++) {
            ObjectNode order = load("shopify-order.json")
                    .put("id", Math.abs(UUID.randomUUID().getMostSignificantBits()));
            String event = UUID.randomUUID().toString();
            events.add(event);
            bodies.add(order.toString());
            answers.add(CompletableFuture.supplyAsync(
                    () -> {
                        io.restassured.response.ExtractableResponse<?> r = shopify(
                                        shop, "orders/paid", event, order.toString())
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
        long queued = outcomes.stream().filter("202 PENDING"::equals).count();
        long taken = outcomes.stream().filter("200 ORDER_ACCEPTED"::equals).count();
        assertEquals(BURST, queued + taken, "each answered at once, taken in or queued: " + outcomes);
        assertTrue(queued > 0, "a burst of 24 with 2 taken in at once queues some: " + outcomes);

        // The queued ones are taken in behind the burst, each once, by the nudged retry job.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> WebhookCalls.count(
                                "select count(*) from webhook_delivery where store_id = ? and outcome = 'ORDER_ACCEPTED'",
                                storeId)
                        == BURST);
        assertEquals(
                0,
                WebhookCalls.count(
                        "select count(*) from webhook_delivery where store_id = ? and outcome <> 'ORDER_ACCEPTED'",
                        storeId));
        assertEquals(BURST, WebhookCalls.count("select count(*) from inbound_order where store_id = ?", storeId));
        assertEquals(
                BURST,
                WebhookCalls.count(
                        "select count(*) from outbox_event where type = 'OrderPlaced' and payload ->> 'storeId' = ?",
                        storeId));

        // A store redelivering one of them finds it taken.
        int first = outcomes.indexOf("202 PENDING");
        shopify(shop, "orders/paid", events.get(first), bodies.get(first))
                .statusCode(200)
                .body("outcome", org.hamcrest.Matchers.equalTo("DUPLICATE"));
    }
}
