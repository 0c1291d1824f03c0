package io.dropship.gateway.webhook;

import static io.dropship.gateway.webhook.WebhookCalls.load;
import static io.dropship.gateway.webhook.WebhookCalls.shopify;
import static io.dropship.gateway.webhook.WebhookCalls.sign;
import static io.dropship.gateway.webhook.WebhookCalls.woo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.contracts.ContractCheck;
import io.dropship.gateway.domain.WebhookSignature;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.Outboxes;
import io.dropship.testkit.Rows;
import io.dropship.testkit.SharedInfrastructure;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class StoreWebhookIT {

    private static final ObjectMapper JSON = WebhookCalls.JSON;
    private static final String SECRET = WebhookCalls.SECRET;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String retailer = "ret-" + run;

    private String connect(String platform, String domain) {
        return WebhookCalls.connect(retailer, platform, domain);
    }

    @Test
    void aSignedShopifyOrderBecomesOrderPlacedOnceWhateverIsRedelivered() throws Exception {
        String shop = "acme-" + run + ".myshopify.com";
        String storeId = connect("SHOPIFY", "https://" + shop.toUpperCase() + "/");
        ObjectNode order =
                load("shopify-order.json").put("id", Math.abs(UUID.randomUUID().getMostSignificantBits()));
        String body = order.toString();
        String eventId = UUID.randomUUID().toString();

        String orderId = shopify(shop, "orders/paid", eventId, body)
                .statusCode(200)
                .body("outcome", equalTo("ORDER_ACCEPTED"))
                .extract()
                .path("orderId");
        shopify(shop, "orders/paid", eventId, body).statusCode(200).body("outcome", equalTo("DUPLICATE"));
        shopify(shop, "orders/paid", UUID.randomUUID().toString(), body)
                .statusCode(200)
                .body("outcome", equalTo("ORDER_ALREADY_TAKEN"))
                .body("orderId", equalTo(orderId));

        ConsumerRecord<String, String> placed =
                TopicProbe.await("OrderPlaced", r -> orderId.equals(r.key()), Duration.ofSeconds(60));
        ContractCheck.assertValid("OrderPlaced", placed.value());
        assertEquals(7, UUID.fromString(orderId).version(), "order ids are ordered by time (TimeOrderedIds)");
        JsonNode event = JSON.readTree(placed.value());
        assertEquals("SHOPIFY", event.get("storePlatform").asText());
        assertEquals(storeId, event.get("storeId").asText());
        assertEquals(retailer, event.get("retailerId").asText());
        assertEquals(order.get("id").asText(), event.get("storeOrderId").asText());
        assertEquals(
                "808950810", event.get("lines").get(0).get("storeVariantId").asText());
        assertEquals(1, Outboxes.published("OrderPlaced", orderId), "one OrderPlaced, whatever was redelivered");
        // The delivery that brought the order in is named by its OrderPlaced (the timeline's first entry); only the
        // later one, under another event id, is an OrderActivity of its own.
        assertEquals("orders/paid", event.at("/webhook/topic").asText(), event.toString());
        assertFalse(event.at("/webhook/deliveryKey").asText().isEmpty(), event.toString());
        assertEquals(1, Outboxes.publishedContaining("OrderActivity", orderId, "STORE_WEBHOOK"));
        assertEquals(1, Outboxes.publishedContaining("OrderActivity", orderId, "ORDER_ALREADY_TAKEN"));
    }

    @Inject
    WebhookRetention retention;

    @Test
    void aWebhookBodyWithTheCustomerInItIsEmptiedAfterItsRetentionButTheDeliveryIsStillADuplicate() throws Exception {
        String shop = "keep-" + run + ".myshopify.com";
        connect("SHOPIFY", shop);
        String old = UUID.randomUUID().toString();
        String recent = UUID.randomUUID().toString();
        shopify(
                        shop,
                        "orders/paid",
                        old,
                        load("shopify-order.json")
                                .put("id", Math.abs(UUID.randomUUID().getMostSignificantBits()))
                                .toString())
                .statusCode(200)
                .body("outcome", equalTo("ORDER_ACCEPTED"));
        shopify(
                        shop,
                        "orders/paid",
                        recent,
                        load("shopify-order.json")
                                .put("id", Math.abs(UUID.randomUUID().getMostSignificantBits()))
                                .toString())
                .statusCode(200)
                .body("outcome", equalTo("ORDER_ACCEPTED"));
        try (java.sql.Connection c = io.dropship.testkit.SharedInfrastructure.get()
                        .postgres()
                        .connect("app");
                java.sql.PreparedStatement st =
                        c.prepareStatement("update webhook_delivery set received_at = now() - interval '31 days'"
                                + " where delivery_key like ?")) {
            st.setString(1, "%" + old + "%");
            assertEquals(1, st.executeUpdate());
        }

        assertTrue(retention.purge().await().atMost(Duration.ofSeconds(30)) >= 1);

        Rows.await("select 1 from webhook_delivery where delivery_key like ? and body = '{}'::jsonb", "%" + old + "%");
        Rows.await(
                "select 1 from webhook_delivery where delivery_key like ? and body ->> 'email' is not null",
                "%" + recent + "%");
        shopify(shop, "orders/paid", old, load("shopify-order.json").toString())
                .statusCode(200)
                .body("outcome", equalTo("DUPLICATE"));
    }

    @Test
    void aForgedUnknownOrMalformedShopifyWebhookIsRefusedAndNothingIsStored() throws Exception {
        String shop = "acme-" + run + ".myshopify.com";
        connect("SHOPIFY", shop);
        String body = load("shopify-order.json").toString();

        shopify(
                        shop,
                        "orders/paid",
                        "e1",
                        body,
                        WebhookSignature.sign("not-the-secret", body.getBytes(StandardCharsets.UTF_8)),
                        Instant.now().toString())
                .statusCode(401)
                .contentType(startsWith("application/problem+json"));
        shopify(shop, "orders/paid", "e2", body, "", Instant.now().toString()).statusCode(401);
        shopify("stranger.myshopify.com", "orders/paid", "e3", body)
                .statusCode(401)
                .contentType(startsWith("application/problem+json"));
        shopify(shop, "orders/paid", "e4", "{\"id\": 1, \"line_items\": [")
                .statusCode(400)
                .contentType(startsWith("application/problem+json"));
        assertEquals(0, deliveries(shop));
    }

    @Test
    void aStoreThatFulfilsOnPaymentIgnoresOrdersCreateAndAStaleRetryChangesNothing() throws Exception {
        String shop = "acme-" + run + ".myshopify.com";
        connect("SHOPIFY", shop);
        String body = load("shopify-order.json").toString();
        // Created, not paid yet: nothing to fulfil (created already paid, it would be taken in at once).
        String unpaid =
                load("shopify-order.json").put("financial_status", "pending").toString();
        shopify(shop, "orders/create", "c1", unpaid)
                .statusCode(200)
                .body("outcome", equalTo("IGNORED"))
                .body("detail", equalTo("financial status pending: this store starts fulfilment on orders/paid"));

        String later = Instant.now().toString();
        String earlier = Instant.now().minusSeconds(3600).toString();
        String cancelled = load("shopify-order.json").put("cancelled_at", later).toString();
        shopify(shop, "orders/cancelled", "x1", cancelled, sign(cancelled), later)
                .statusCode(200)
                .body("outcome", equalTo("CANCELLATION_RECORDED"));
        shopify(shop, "orders/cancelled", "x0", cancelled, sign(cancelled), earlier)
                .statusCode(200)
                .body("outcome", equalTo("STALE"));
    }

    @Test
    void anOrderWithoutAShippingAddressIsRecordedAsInvalidWithoutFailingTheDelivery() throws Exception {
        String shop = "acme-" + run + ".myshopify.com";
        connect("SHOPIFY", shop);
        ObjectNode order = load("shopify-order.json");
        order.remove("shipping_address");
        shopify(shop, "orders/paid", "i1", order.toString())
                .statusCode(200)
                .body("outcome", equalTo("INVALID"))
                .body("detail", startsWith("shippingAddress"));
    }

    @Test
    void privacyTopicsAreAnsweredAndUninstallingMarksTheStore() {
        String shop = "acme-" + run + ".myshopify.com";
        connect("SHOPIFY", shop);
        for (String topic : List.of("customers/data_request", "customers/redact", "shop/redact")) {
            String body = "{\"shop_id\":954889,\"shop_domain\":\"" + shop + "\"}";
            shopify(shop, topic, UUID.randomUUID().toString(), body)
                    .statusCode(200)
                    .body("outcome", equalTo("PRIVACY_REQUEST_ACCEPTED"));
        }
        String body = "{\"id\":548380009,\"name\":\"Acme\",\"domain\":\"" + shop + "\"}";
        shopify(shop, "app/uninstalled", UUID.randomUUID().toString(), body)
                .statusCode(200)
                .body("outcome", equalTo("STORE_UNINSTALLED"));
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/stores")
                .then()
                .body("items.status", hasItem("UNINSTALLED"))
                .body("items.status", not(hasItem("ACTIVE")));
    }

    @Test
    void aWooCommerceStoreIsPingedThenSendsAnOrderOnceItIsPaid() throws Exception {
        String site = "https://shop-" + run + ".example.com";
        connect("WOOCOMMERCE", site);
        given().contentType("application/x-www-form-urlencoded")
                .body("webhook_id=42")
                .post("/webhooks/woocommerce")
                .then()
                .statusCode(200)
                .body("outcome", equalTo("PING"));

        ObjectNode order =
                load("woo-order.json").put("id", Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000));
        order.put("status", "pending").put("date_modified_gmt", "2026-11-23T10:15:30");
        String pending = order.toString();
        woo(site, "order.created", pending, sign(pending)).statusCode(200).body("outcome", equalTo("IGNORED"));

        order.put("status", "processing").put("date_modified_gmt", "2026-11-23T10:16:02");
        String paid = order.toString();
        String orderId = woo(site, "order.updated", paid, sign(paid))
                .statusCode(200)
                .body("outcome", equalTo("ORDER_ACCEPTED"))
                .extract()
                .path("orderId");
        // WooCommerce repeats a delivery with a new delivery id; the order and its modification time give it away.
        woo(site, "order.updated", paid, sign(paid)).statusCode(200).body("outcome", equalTo("DUPLICATE"));
        woo(site, "order.updated", paid, "bm90IHRoZSBzaWduYXR1cmU=").statusCode(401);

        ConsumerRecord<String, String> placed =
                TopicProbe.await("OrderPlaced", r -> orderId.equals(r.key()), Duration.ofSeconds(60));
        ContractCheck.assertValid("OrderPlaced", placed.value());
        JsonNode event = JSON.readTree(placed.value());
        assertEquals("WOOCOMMERCE", event.get("storePlatform").asText());
        assertEquals("woo-product-22", event.get("lines").get(1).get("sku").asText());
    }

    @Test
    void storesAreTheRetailersOwnAndItsSecretsAreEncryptedAtRest() throws Exception {
        String shop = "acme-" + run + ".myshopify.com";
        connect("SHOPIFY", shop);
        given().auth()
                .oauth2(TestTokens.retailer("ret-other"))
                .contentType(ContentType.JSON)
                .body("{\"platform\":\"SHOPIFY\",\"shopDomain\":\"" + shop + "\",\"webhookSecret\":\"" + SECRET
                        + "\",\"apiToken\":\"x\"}")
                .post("/api/stores")
                .then()
                .statusCode(409);
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body("{\"platform\":\"SHOPIFY\",\"shopDomain\":\"not a shop\",\"webhookSecret\":\"" + SECRET
                        + "\",\"apiToken\":\"x\"}")
                .post("/api/stores")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body("{\"platform\":\"WOOCOMMERCE\",\"shopDomain\":\"https://woo-" + run
                        + ".example\",\"webhookSecret\":\"" + SECRET + "\",\"apiToken\":\"only-a-key\"}")
                .post("/api/stores")
                .then()
                .statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("consumer key and secret"));
        try (Connection c = SharedInfrastructure.get().postgres().connect("app");
                PreparedStatement s = c.prepareStatement(
                        "select webhook_secret, api_token from store_connection where shop_domain = ?")) {
            s.setString(1, shop);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertFalse(new String(rs.getBytes(1), StandardCharsets.ISO_8859_1).contains(SECRET));
                assertFalse(new String(rs.getBytes(2), StandardCharsets.ISO_8859_1).contains("shpat_secret_token"));
            }
        }
    }

    private static long deliveries(String shop) throws Exception {
        try (Connection c = SharedInfrastructure.get().postgres().connect("app");
                PreparedStatement s =
                        c.prepareStatement("select count(*) from webhook_delivery d join store_connection c"
                                + " on c.id = d.store_id where c.shop_domain = ?")) {
            s.setString(1, shop);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The topic is a header the signature does not cover: a signed paid order replayed as orders/cancelled cancels
     * nothing. And an unknown store gets the same answer as a bad signature, so the answer tells no one which shops
     * are connected.
     */
    @Test
    void aSignedOrderReplayedUnderTheCancelledTopicCancelsNothingAndStoresAreNotEnumerable() throws Exception {
        String shop = "replay-" + run + ".myshopify.com";
        connect("SHOPIFY", shop);
        ObjectNode order =
                load("shopify-order.json").put("id", Math.abs(UUID.randomUUID().getMostSignificantBits()));
        String orderId = shopify(shop, "orders/paid", UUID.randomUUID().toString(), order.toString())
                .statusCode(200)
                .body("outcome", equalTo("ORDER_ACCEPTED"))
                .extract()
                .path("orderId");
        shopify(shop, "orders/cancelled", UUID.randomUUID().toString(), order.toString())
                .statusCode(200)
                .body("outcome", equalTo("INVALID"))
                .body("detail", containsString("no cancelled_at"));
        assertEquals(0, io.dropship.testkit.Outboxes.published("OrderCancelled", orderId), "nothing was cancelled");

        String body = order.toString();
        String unknownStore = shopify("nobody-" + run + ".myshopify.com", "orders/paid", "u1", body)
                .statusCode(401)
                .extract()
                .path("detail");
        String badSignature = shopify(
                        shop,
                        "orders/paid",
                        "u2",
                        body,
                        sign("{}"),
                        Instant.now().toString())
                .statusCode(401)
                .extract()
                .path("detail");
        assertEquals(unknownStore, badSignature, "one answer for both");
    }

    @Test
    void aStoreCancellationOfAnOrderTakenInBecomesOrderCancelledOnceAndOfAnyOtherIsOnlyRecorded() throws Exception {
        String shop = "cancel-" + run + ".myshopify.com";
        connect("SHOPIFY", shop);
        ObjectNode order =
                load("shopify-order.json").put("id", Math.abs(UUID.randomUUID().getMostSignificantBits()));
        String orderId = shopify(shop, "orders/paid", UUID.randomUUID().toString(), order.toString())
                .statusCode(200)
                .body("outcome", equalTo("ORDER_ACCEPTED"))
                .extract()
                .path("orderId");

        String cancelled = order.deepCopy()
                .put("cancel_reason", "customer")
                .put("cancelled_at", Instant.now().toString())
                .toString();
        shopify(shop, "orders/cancelled", UUID.randomUUID().toString(), cancelled)
                .statusCode(200)
                .body("outcome", equalTo("ORDER_CANCELLED"))
                .body("orderId", equalTo(orderId));
        shopify(shop, "orders/cancelled", UUID.randomUUID().toString(), cancelled)
                .statusCode(200)
                .body("outcome", equalTo("ORDER_ALREADY_CANCELLED"));
        String unknown = order.deepCopy()
                .put("id", 42)
                .put("cancelled_at", Instant.now().toString())
                .toString();
        shopify(shop, "orders/cancelled", UUID.randomUUID().toString(), unknown)
                .statusCode(200)
                .body("outcome", equalTo("CANCELLATION_RECORDED"));

        ConsumerRecord<String, String> event =
                TopicProbe.await("OrderCancelled", r -> orderId.equals(r.key()), Duration.ofSeconds(60));
        ContractCheck.assertValid("OrderCancelled", event.value());
        assertEquals("customer", TopicProbe.json(event).get("reason").asText());
        assertEquals("STORE", TopicProbe.json(event).get("source").asText());
        assertEquals(1, Outboxes.published("OrderCancelled", orderId), "one OrderCancelled, whatever was redelivered");
    }

    @Test
    void aWooCommerceOrderUpdatedToCancelledBecomesOrderCancelled() throws Exception {
        String site = "https://cancel-" + run + ".example";
        connect("WOOCOMMERCE", site);
        ObjectNode order =
                load("woo-order.json").put("id", Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000));
        String body = order.toString();
        String orderId = woo(site, "order.created", body, sign(body))
                .statusCode(200)
                .body("outcome", equalTo("ORDER_ACCEPTED"))
                .extract()
                .path("orderId");
        String cancelled = order.deepCopy()
                .put("status", "cancelled")
                .put("date_modified_gmt", Instant.now().toString())
                .toString();
        woo(site, "order.updated", cancelled, sign(cancelled))
                .statusCode(200)
                .body("outcome", equalTo("ORDER_CANCELLED"));
        ContractCheck.assertValid(
                "OrderCancelled",
                TopicProbe.await("OrderCancelled", r -> orderId.equals(r.key()), Duration.ofSeconds(60))
                        .value());
    }
}
