package io.dropship.gateway.webhook;

import static io.dropship.gateway.webhook.WebhookCalls.count;
import static io.dropship.gateway.webhook.WebhookCalls.load;
import static io.dropship.gateway.webhook.WebhookCalls.shopify;
import static io.dropship.gateway.webhook.WebhookCalls.shopifyAt;
import static io.dropship.gateway.webhook.WebhookCalls.woo;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.infra.LocalPostgres;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.SharedInfrastructure;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stores deliver late, twice and out of order, and the gateway may fail while a delivery is in hand: the newest
 * state of a store order wins, and no delivery is acknowledged and then forgotten.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class WebhookDeliveryOrderIT {

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String retailer = "ret-" + run;
    private static final Instant T0 = Instant.parse("2026-11-23T15:00:00Z");

    private ObjectNode shopifyOrder() throws Exception {
        return load("shopify-order.json").put("id", Math.abs(UUID.randomUUID().getMostSignificantBits()));
    }

    private static long takenIn(String storeOrderId) throws Exception {
        return count("select count(*) from inbound_order where store_order_id = ?", storeOrderId);
    }

    @Test
    void aCancellationThatArrivesBeforeThePaymentItFollowsKeepsTheOrderFromEverReachingASupplier() throws Exception {
        String shop = "late-" + run + ".myshopify.com";
        WebhookCalls.connect(retailer, "SHOPIFY", shop);
        ObjectNode order = shopifyOrder();
        String storeOrderId = order.get("id").asText();
        String cancelled = order.deepCopy()
                .put("cancelled_at", T0.plusSeconds(60).toString())
                .put("cancel_reason", "customer")
                .toString();

        shopifyAt(shop, "orders/cancelled", cancelled, T0.plusSeconds(60))
                .statusCode(200)
                .body("outcome", equalTo("CANCELLATION_RECORDED"));
        // The payment happened first, but its delivery arrives now, as a store's retry would bring it.
        shopifyAt(shop, "orders/paid", order.toString(), T0).statusCode(200).body("outcome", equalTo("STALE"));
        // Triggered at the same instant as the cancellation: the cancellation still wins.
        shopifyAt(shop, "orders/paid", order.toString(), T0.plusSeconds(60))
                .statusCode(200)
                .body("outcome", equalTo("CANCELLED_BY_STORE"));
        assertEquals(0, takenIn(storeOrderId), "the order was never taken in, so no OrderPlaced was ever written");
    }

    @Test
    void anOlderDeliveryNeverOverwritesANewerOneAndAShopifyPaymentThatCarriesACancellationCancels() throws Exception {
        String shop = "order-" + run + ".myshopify.com";
        WebhookCalls.connect(retailer, "SHOPIFY", shop);
        ObjectNode order = shopifyOrder();
        String orderId = shopifyAt(shop, "orders/paid", order.toString(), T0.plusSeconds(10))
                .statusCode(200)
                .body("outcome", equalTo("ORDER_ACCEPTED"))
                .extract()
                .path("orderId");
        // An orders/cancelled from before the payment (the store's clock says so) is older news: nothing is cancelled.
        String early = order.deepCopy().put("cancelled_at", T0.toString()).toString();
        shopifyAt(shop, "orders/cancelled", early, T0).statusCode(200).body("outcome", equalTo("STALE"));
        assertEquals(
                0,
                count(
                        "select count(*) from inbound_order where id = cast(? as uuid) and cancelled_at is not null",
                        orderId));
        // An orders/updated whose order carries cancelled_at is the cancellation, whatever its topic.
        String updated = order.deepCopy()
                .put("cancelled_at", T0.plusSeconds(20).toString())
                .toString();
        shopifyAt(shop, "orders/updated", updated, T0.plusSeconds(20))
                .statusCode(200)
                .body("outcome", equalTo("ORDER_CANCELLED"))
                .body("orderId", equalTo(orderId));
        TopicProbe.await("OrderCancelled", r -> orderId.equals(r.key()), Duration.ofSeconds(60));
    }

    @Test
    void anEditThatOvertakesThePaymentPlacesTheEditedOrderAndAFullRefundCancels() throws Exception {
        String shop = "edit-" + run + ".myshopify.com";
        WebhookCalls.connect(retailer, "SHOPIFY", shop);
        ObjectNode order = shopifyOrder();
        // Paid at T0, then edited (one line's quantity down to 1): the edit's orders/updated arrives first.
        ObjectNode edited = order.deepCopy();
        ((ObjectNode) edited.get("line_items").get(0)).put("quantity", 1);
        String orderId = shopifyAt(shop, "orders/updated", edited.toString(), T0.plusSeconds(30))
                .statusCode(200)
                .body("outcome", equalTo("ORDER_ACCEPTED"))
                .extract()
                .path("orderId");
        shopifyAt(shop, "orders/paid", order.toString(), T0).statusCode(200).body("outcome", equalTo("STALE"));
        com.fasterxml.jackson.databind.JsonNode placed =
                TopicProbe.json(TopicProbe.await("OrderPlaced", r -> orderId.equals(r.key()), Duration.ofSeconds(60)));
        assertEquals(1, placed.at("/lines/0/quantity").asInt(), "the edited quantity, not the paid one");

        // The store refunds the whole order before anything shipped: its orders/updated says refunded.
        String refunded = order.deepCopy().put("financial_status", "refunded").toString();
        shopifyAt(shop, "orders/updated", refunded, T0.plusSeconds(90))
                .statusCode(200)
                .body("outcome", equalTo("ORDER_CANCELLED"))
                .body("orderId", equalTo(orderId));
        com.fasterxml.jackson.databind.JsonNode cancelled = TopicProbe.json(
                TopicProbe.await("OrderCancelled", r -> orderId.equals(r.key()), Duration.ofSeconds(60)));
        assertEquals(
                "the store refunded the whole payment", cancelled.get("reason").asText());

        // A refund of a paid order that arrives before its payment keeps it from ever being taken in.
        ObjectNode other = shopifyOrder();
        shopifyAt(
                        shop,
                        "orders/updated",
                        other.deepCopy().put("financial_status", "refunded").toString(),
                        T0.plusSeconds(60))
                .statusCode(200)
                .body("outcome", equalTo("CANCELLATION_RECORDED"));
        shopifyAt(shop, "orders/paid", other.toString(), T0).statusCode(200).body("outcome", equalTo("STALE"));
        assertEquals(0, takenIn(other.get("id").asText()));
    }

    @Test
    void aWooCommerceOrderTakesItsNewestStateByModificationTime() throws Exception {
        String site = "https://order-" + run + ".example";
        WebhookCalls.connect(retailer, "WOOCOMMERCE", site);
        ObjectNode order =
                load("woo-order.json").put("id", Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000));
        String storeOrderId = order.get("id").asText();
        String cancelled = order.deepCopy()
                .put("status", "cancelled")
                .put("date_modified_gmt", "2026-11-23T10:20:00")
                .toString();
        String processing = order.deepCopy()
                .put("status", "processing")
                .put("date_modified_gmt", "2026-11-23T10:16:02")
                .toString();

        woo(site, "order.updated", cancelled).statusCode(200).body("outcome", equalTo("CANCELLATION_RECORDED"));
        woo(site, "order.created", processing).statusCode(200).body("outcome", equalTo("STALE"));
        assertEquals(0, takenIn(storeOrderId));

        // The shop owner moves the cancelled order back to processing: that is newer, and it is taken in.
        String reopened = order.deepCopy()
                .put("status", "processing")
                .put("date_modified_gmt", "2026-11-23T11:00:00")
                .toString();
        woo(site, "order.updated", reopened).statusCode(200).body("outcome", equalTo("ORDER_ACCEPTED"));
        assertEquals(1, takenIn(storeOrderId));
    }

    @Test
    void aDeliveryThatFailsIsKeptRetriedByThePlatformAndARedeliveryIsProcessedNotAnsweredDuplicate() throws Exception {
        String shop = "kept-" + run + ".myshopify.com";
        WebhookCalls.connect(retailer, "SHOPIFY", shop);
        ObjectNode first = shopifyOrder();
        ObjectNode second = shopifyOrder();
        String firstEvent = UUID.randomUUID().toString();
        String secondEvent = UUID.randomUUID().toString();

        // Taking the order in fails while its lines cannot be written: a failure that no store retry could cure.
        execute("alter table inbound_order_line rename to inbound_order_line_away");
        try {
            shopify(shop, "orders/paid", firstEvent, first.toString())
                    .statusCode(202)
                    .body("outcome", equalTo("PENDING"));
            shopify(shop, "orders/paid", secondEvent, second.toString())
                    .statusCode(202)
                    .body("outcome", equalTo("PENDING"));
            // The store redelivers while it still fails: kept again, one row, one more attempt.
            shopify(shop, "orders/paid", firstEvent, first.toString()).statusCode(202);
            assertEquals(
                    1,
                    count(
                            "select count(*) from webhook_delivery where delivery_key = ?",
                            "event:orders/paid:" + firstEvent));
            assertEquals(
                    2,
                    count(
                            "select attempts from webhook_delivery where delivery_key = ?",
                            "event:orders/paid:" + firstEvent));
        } finally {
            execute("alter table inbound_order_line_away rename to inbound_order_line");
        }

        // A redelivery after the cure is processed at once, not answered DUPLICATE...
        shopify(shop, "orders/paid", firstEvent, first.toString())
                .statusCode(200)
                .body("outcome", equalTo("ORDER_ACCEPTED"));
        // ...and the delivery nobody redelivers is taken in by the platform's own retry.
        await().atMost(60, TimeUnit.SECONDS)
                .until(() -> takenIn(second.get("id").asText()) == 1);
        assertEquals("ORDER_ACCEPTED", outcome("event:orders/paid:" + secondEvent));
        assertEquals(1, takenIn(first.get("id").asText()));
        shopify(shop, "orders/paid", secondEvent, second.toString())
                .statusCode(200)
                .body("outcome", equalTo("DUPLICATE"));
    }

    @Test
    void aDeliveryThatCannotBeKeptWhileTheDatabaseIsDownIsAnswered503AndTakenInWhenTheStoreRetries() throws Exception {
        String shop = "down-" + run + ".myshopify.com";
        WebhookCalls.connect(retailer, "SHOPIFY", shop);
        ObjectNode order = shopifyOrder();
        String event = UUID.randomUUID().toString();
        LocalPostgres postgres = SharedInfrastructure.get().postgres();

        postgres.stopServer();
        try {
            shopify(shop, "orders/paid", event, order.toString())
                    .statusCode(503)
                    .contentType(startsWith("application/problem+json"))
                    .header("Retry-After", equalTo("5"));
        } finally {
            postgres.startAgain();
        }
        await().atMost(60, TimeUnit.SECONDS)
                .ignoreExceptions()
                .untilAsserted(() -> shopify(shop, "orders/paid", event, order.toString())
                        .statusCode(200)
                        .body("outcome", equalTo("ORDER_ACCEPTED")));
        assertEquals(1, takenIn(order.get("id").asText()));
    }

    private static String outcome(String deliveryKey) throws Exception {
        try (Connection c = SharedInfrastructure.get().postgres().connect("app");
                java.sql.PreparedStatement s =
                        c.prepareStatement("select outcome from webhook_delivery where delivery_key = ?")) {
            s.setString(1, deliveryKey);
            try (java.sql.ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = SharedInfrastructure.get().postgres().connect("app");
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
