package io.dropship.gateway.stores;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.contracts.ContractCheck;
import io.dropship.fakestores.FakeShopify;
import io.dropship.fakestores.FakeStores;
import io.dropship.fakestores.FakeWooCommerce;
import io.dropship.gateway.domain.WebhookSignature;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.Outboxes;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Shipped becomes tracking at the store: a Shopify fulfillment per shipment for exactly its lines, a
 * WooCommerce customer note and, once every line has shipped, the order completed. Checked at local fake
 * stores that hold the gateway to the stores' wire format; retried through throttling and store errors.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
@QuarkusTestResource(FakeStoresTestResource.class)
class StoreTrackingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "shpss_0123456789abcdef";
    private static final long MUG_LINE = 866550311766439020L;
    private static final long TEE_LINE = 141249953214522974L;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String retailer = "ret-" + run;
    private final FakeStores fakes = FakeStoresTestResource.fakes();

    private static ObjectNode load(String name) throws Exception {
        try (InputStream in = StoreTrackingIT.class.getResourceAsStream("/webhooks/" + name)) {
            return (ObjectNode) JSON.readTree(in);
        }
    }

    private String connect(String platform, String domain, String apiToken) {
        return given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body(Map.of("platform", platform, "shopDomain", domain, "webhookSecret", SECRET, "apiToken", apiToken))
                .post("/api/stores")
                .then()
                .statusCode(201)
                .extract()
                .path("storeId");
    }

    /** A Shopify order taken in by its signed orders/paid webhook; answers the platform's order id. */
    private String shopifyOrder(String shop, long storeOrderId) throws Exception {
        String body = load("shopify-order.json").put("id", storeOrderId).toString();
        return given().contentType(ContentType.JSON)
                .header("X-Shopify-Hmac-Sha256", WebhookSignature.sign(SECRET, body.getBytes(StandardCharsets.UTF_8)))
                .header("X-Shopify-Shop-Domain", shop)
                .header("X-Shopify-Topic", "orders/paid")
                .header("X-Shopify-Webhook-Id", UUID.randomUUID().toString())
                .header("X-Shopify-Event-Id", UUID.randomUUID().toString())
                .header("X-Shopify-Triggered-At", Instant.now().toString())
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post("/webhooks/shopify")
                .then()
                .statusCode(200)
                .body("outcome", equalTo("ORDER_ACCEPTED"))
                .extract()
                .path("orderId");
    }

    private String wooOrder(String site, long storeOrderId) throws Exception {
        String body = load("woo-order.json").put("id", storeOrderId).toString();
        return given().contentType(ContentType.JSON)
                .header("X-WC-Webhook-Signature", WebhookSignature.sign(SECRET, body.getBytes(StandardCharsets.UTF_8)))
                .header("X-WC-Webhook-Source", site + "/")
                .header("X-WC-Webhook-Topic", "order.created")
                .header("X-WC-Webhook-Delivery-ID", UUID.randomUUID().toString())
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post("/webhooks/woocommerce")
                .then()
                .statusCode(200)
                .body("outcome", equalTo("ORDER_ACCEPTED"))
                .extract()
                .path("orderId");
    }

    /** A Shipped event as fulfillment-service's relay publishes it; answers the event id. */
    private static String ship(
            String orderId, long storeOrderId, String shipmentId, String tracking, Map<Long, Integer> lines) {
        return ship(UUID.randomUUID().toString(), orderId, storeOrderId, shipmentId, tracking, lines);
    }

    private static String ship(
            String eventId,
            String orderId,
            long storeOrderId,
            String shipmentId,
            String tracking,
            Map<Long, Integer> lines) {
        try {
            ObjectNode shipped = (ObjectNode) JSON.readTree(ContractCheck.example("Shipped"));
            shipped.put("shipmentId", shipmentId)
                    .put("supplierOrderId", UUID.randomUUID().toString())
                    .put("orderId", orderId)
                    .put("storeOrderId", String.valueOf(storeOrderId))
                    .put("carrier", "UPS")
                    .put("trackingNumber", tracking)
                    .put("trackingUrl", "https://www.ups.com/track?tracknum=" + tracking)
                    .put("shippedAt", Instant.now().toString());
            ArrayNode array = shipped.putArray("lines");
            lines.forEach((line, q) -> array.addObject()
                    .put("lineId", String.valueOf(line))
                    .put("sku", "SKU-" + line)
                    .put("quantity", q));
            ContractCheck.assertValid("Shipped", shipped.toString());
            TopicProbe.send("Shipped", orderId, shipped.toString(), Map.of("id", eventId, "eventType", "Shipped"));
            return eventId;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<Long, Integer> lines(long line, int quantity) {
        Map<Long, Integer> m = new LinkedHashMap<>();
        m.put(line, quantity);
        return m;
    }

    /** A connected WooCommerce site with a processing order of two lines (315 x2, 316 x1), taken in by its webhook. */
    private record WooOrder(
            String storeId, long storeOrderId, Map<Long, Integer> lines, FakeWooCommerce woo, String orderId) {}

    private WooOrder wooTwoLineOrder(String siteName) throws Exception {
        String site = fakes.wooSiteUrl(siteName);
        String storeId = connect("WOOCOMMERCE", site, "ck_" + run + ":cs_" + run);
        long storeOrderId = 10_000 + Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000L);
        Map<Long, Integer> storeLines = new LinkedHashMap<>();
        storeLines.put(315L, 2);
        storeLines.put(316L, 1);
        FakeWooCommerce woo =
                fakes.woo(siteName, "ck_" + run, "cs_" + run).addOrder(storeOrderId, "processing", storeLines);
        return new WooOrder(storeId, storeOrderId, storeLines, woo, wooOrder(site, storeOrderId));
    }

    private JsonNode pushes(String storeId) throws Exception {
        return JSON.readTree(given().auth()
                        .oauth2(TestTokens.retailer(retailer))
                        .get("/api/stores/" + storeId + "/pushes")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .get("items");
    }

    @Test
    void eachShipmentOfASplitShopifyOrderBecomesOneFulfillmentWithItsTrackingAndRedeliveryAddsNone() throws Exception {
        String shop = "track-" + run + ".myshopify.com";
        String storeId = connect("SHOPIFY", shop, "shpat_" + run);
        long storeOrderId = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000_000L);
        Map<Long, Integer> storeLines = new LinkedHashMap<>();
        storeLines.put(MUG_LINE, 2);
        storeLines.put(TEE_LINE, 1);
        FakeShopify fake = fakes.shopify(shop, "shpat_" + run).addOrder(storeOrderId, storeLines);
        String orderId = shopifyOrder(shop, storeOrderId);

        String mugShipment = UUID.randomUUID().toString();
        String event = ship(orderId, storeOrderId, mugShipment, "1ZMUG", lines(MUG_LINE, 2));
        ship(orderId, storeOrderId, UUID.randomUUID().toString(), "1ZTEE", lines(TEE_LINE, 1));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fake.fulfillments(storeOrderId).size() == 2);

        List<FakeShopify.Fulfillment> fulfillments = fake.fulfillments(storeOrderId);
        FakeShopify.Fulfillment mug = fulfillments.stream()
                .filter(f -> f.number().equals("1ZMUG"))
                .findFirst()
                .orElseThrow();
        FakeShopify.Fulfillment tee = fulfillments.stream()
                .filter(f -> f.number().equals("1ZTEE"))
                .findFirst()
                .orElseThrow();
        assertEquals(Map.of(MUG_LINE, 2), mug.lineItems());
        assertEquals(Map.of(TEE_LINE, 1), tee.lineItems());
        assertEquals("UPS", mug.company());
        assertEquals("https://www.ups.com/track?tracknum=1ZMUG", mug.url());
        assertTrue(mug.notifyCustomer());

        List<FakeStores.Call> calls = fakes.calls("/shopify/" + shop + "/");
        assertTrue(
                calls.stream()
                        .allMatch(c -> c.path().equals("/shopify/" + shop + "/admin/api/2026-04/graphql.json")
                                && c.method().equals("POST")
                                && ("shpat_" + run).equals(c.header("X-Shopify-Access-Token"))
                                && c.header("Content-Type").startsWith("application/json")),
                "every call is an authenticated GraphQL POST");
        JsonNode create = calls.stream()
                .map(FakeStores.Call::json)
                .filter(j -> j.path("query").asText().contains("fulfillmentCreate"))
                .findFirst()
                .orElseThrow();
        JsonNode byOrder = create.at("/variables/fulfillment/lineItemsByFulfillmentOrder/0");
        assertTrue(byOrder.path("fulfillmentOrderId").asText().startsWith("gid://shopify/FulfillmentOrder/"));
        assertTrue(byOrder.at("/fulfillmentOrderLineItems/0/id")
                .asText()
                .startsWith("gid://shopify/FulfillmentOrderLineItem/"));

        // The same event again, and the same shipment under a new event id: nothing new reaches the store.
        ship(event, orderId, storeOrderId, mugShipment, "1ZMUG", lines(MUG_LINE, 2));
        String sameShipment = ship(orderId, storeOrderId, mugShipment, "1ZMUG", lines(MUG_LINE, 2));
        // Both went to the same partition (key = order id): once the second is consumed, the first was too. A consumed
        // duplicate leaves no store call owed, so nothing can reach the store after this.
        Outboxes.awaitConsumed("integration-gateway.shipped", sameShipment);
        assertEquals(2, fake.fulfillments(storeOrderId).size());
        JsonNode pushes = pushes(storeId);
        assertEquals(2, pushes.size());
        pushes.forEach(p -> assertEquals("DONE", p.get("status").asText()));
        pushes.forEach(p -> assertTrue(p.get("storeReference").asText().startsWith("gid://shopify/Fulfillment/")));
    }

    @Test
    void aThrottledOrFailingShopIsRetriedWithBackoffUntilItHasTheTracking() throws Exception {
        String shop = "busy-" + run + ".myshopify.com";
        String storeId = connect("SHOPIFY", shop, "shpat_" + run);
        long storeOrderId = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000_000L);
        FakeShopify fake = fakes.shopify(shop, "shpat_" + run).addOrder(storeOrderId, lines(MUG_LINE, 2));
        String orderId = shopifyOrder(shop, storeOrderId);
        fake.throttleNext(1, "fulfillment").failNext(503, "fulfillment");

        ship(orderId, storeOrderId, UUID.randomUUID().toString(), "1ZBUSY", lines(MUG_LINE, 2));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fake.fulfillments(storeOrderId).size() == 1);

        await().atMost(Duration.ofSeconds(5))
                .until(() -> pushes(storeId).get(0).get("status").asText().equals("DONE"));
        JsonNode push = pushes(storeId).get(0);
        assertEquals(3, push.get("attempts").asInt(), "throttled, then 503, then done");
        assertEquals(2, (int) fake.fulfillments(storeOrderId).get(0).lineItems().get(MUG_LINE));
    }

    @Test
    void aStoreThatRefusesTheTokenLeavesAFailedPushThatItsRetailerSeesAndRetries() throws Exception {
        String shop = "revoked-" + run + ".myshopify.com";
        String storeId = connect("SHOPIFY", shop, "shpat_revoked");
        long storeOrderId = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000_000L);
        FakeShopify fake = fakes.shopify(shop, "shpat_current").addOrder(storeOrderId, lines(MUG_LINE, 2));
        String orderId = shopifyOrder(shop, storeOrderId);

        ship(orderId, storeOrderId, UUID.randomUUID().toString(), "1ZREVOKED", lines(MUG_LINE, 2));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> pushes(storeId).size() == 1
                        && pushes(storeId).get(0).get("status").asText().equals("FAILED"));
        JsonNode failed = pushes(storeId).get(0);
        assertTrue(failed.get("lastError").asText().startsWith("401"), failed.toString());
        given().auth()
                .oauth2(TestTokens.retailer("ret-other"))
                .get("/api/stores/" + storeId + "/pushes")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestTokens.support())
                .get("/api/stores/" + storeId + "/pushes?status=FAILED")
                .then()
                .statusCode(200)
                .body("items", hasSize(1));

        connect("SHOPIFY", shop, "shpat_current");
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .post("/api/stores/" + storeId + "/pushes/" + failed.get("id").asLong() + "/retry")
                .then()
                .statusCode(200)
                .body("status", equalTo("PENDING"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fake.fulfillments(storeOrderId).size() == 1);
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .post("/api/stores/" + storeId + "/pushes/" + failed.get("id").asLong() + "/retry")
                .then()
                .statusCode(409)
                .body("detail", containsString("not FAILED"));
    }

    @Test
    void aWooCommerceOrderGetsATrackingNotePerShipmentAndIsCompletedWhenEveryLineHasShipped() throws Exception {
        String siteName = "site-" + run;
        WooOrder w = wooTwoLineOrder(siteName);
        String storeId = w.storeId();
        long storeOrderId = w.storeOrderId();
        FakeWooCommerce woo = w.woo();
        String orderId = w.orderId();

        woo.failNext(429, 1, "orders/");
        ship(orderId, storeOrderId, UUID.randomUUID().toString(), "1ZFIRST", lines(315L, 2));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> woo.notes(storeOrderId).size() == 1);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> pushes(storeId).get(0).get("status").asText().equals("DONE"));
        assertEquals("processing", woo.status(storeOrderId), "one line is still to ship");
        FakeWooCommerce.Note note = woo.notes(storeOrderId).get(0);
        assertTrue(note.customerNote());
        assertTrue(
                note.note().contains("UPS")
                        && note.note().contains("1ZFIRST")
                        && note.note().contains("https://www.ups.com/track?tracknum=1ZFIRST"),
                note.note());

        ship(orderId, storeOrderId, UUID.randomUUID().toString(), "1ZSECOND", lines(316L, 1));
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(woo.status(storeOrderId)));
        assertEquals(2, woo.notes(storeOrderId).size());

        String basic = "Basic "
                + Base64.getEncoder().encodeToString(("ck_" + run + ":cs_" + run).getBytes(StandardCharsets.UTF_8));
        List<FakeStores.Call> calls = fakes.calls("/woo/" + siteName + "/");
        assertTrue(
                calls.stream().allMatch(c -> basic.equals(c.header("Authorization"))),
                "every call carries the consumer key");
        assertTrue(calls.stream().anyMatch(c -> c.status() == 429), "the 429 was met and waited out");
        // A retry reads the notes first: WooCommerce has no idempotency key, and the earlier call may have been
        // applied.
        assertEquals(
                List.of(
                        "POST /woo/" + siteName + "/wp-json/wc/v3/orders/" + storeOrderId + "/notes",
                        "GET /woo/" + siteName + "/wp-json/wc/v3/orders/" + storeOrderId + "/notes",
                        "POST /woo/" + siteName + "/wp-json/wc/v3/orders/" + storeOrderId + "/notes",
                        "POST /woo/" + siteName + "/wp-json/wc/v3/orders/" + storeOrderId + "/notes",
                        "PUT /woo/" + siteName + "/wp-json/wc/v3/orders/" + storeOrderId),
                calls.stream().map(c -> c.method() + " " + c.path()).toList());
        assertEquals("completed", calls.get(4).json().get("status").asText());
    }

    @Test
    void aFulfillmentWhoseAnswerWasLostIsNotCreatedTwice() throws Exception {
        String shop = "lostfo-" + run + ".myshopify.com";
        String storeId = connect("SHOPIFY", shop, "shpat_" + run);
        long storeOrderId = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000_000L);
        FakeShopify fake = fakes.shopify(shop, "shpat_" + run).addOrder(storeOrderId, lines(MUG_LINE, 2));
        String orderId = shopifyOrder(shop, storeOrderId);
        fake.loseNextAnswer("fulfillmentCreate");

        ship(orderId, storeOrderId, UUID.randomUUID().toString(), "1ZLOST", lines(MUG_LINE, 2));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> pushes(storeId).size() == 1
                        && pushes(storeId).get(0).get("status").asText().equals("DONE"));
        assertEquals(2, pushes(storeId).get(0).get("attempts").asInt(), "the lost answer, then the retry");
        assertEquals(1, fake.fulfillments(storeOrderId).size(), "the retry found nothing left to fulfil");
        assertTrue(
                fakes.calls("/shopify/" + shop + "/").stream().anyMatch(c -> c.status() == -1), "the answer was lost");
    }

    @Test
    void aWooCommerceTrackingNoteWhoseAnswerWasLostIsNotAddedTwice() throws Exception {
        String siteName = "lostnote-" + run;
        WooOrder w = wooTwoLineOrder(siteName);
        String storeId = w.storeId();
        long storeOrderId = w.storeOrderId();
        Map<Long, Integer> storeLines = w.lines();
        FakeWooCommerce woo = w.woo();
        String orderId = w.orderId();
        woo.loseNextAnswer("orders/" + storeOrderId + "/notes");

        ship(orderId, storeOrderId, UUID.randomUUID().toString(), "1ZLOSTNOTE", storeLines);
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(woo.status(storeOrderId)));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> pushes(storeId).get(0).get("status").asText().equals("DONE"));
        assertEquals(1, woo.notes(storeOrderId).size(), "the customer is told once");
        assertEquals(
                List.of("POST", "GET", "PUT"),
                fakes.calls("/woo/" + siteName + "/").stream()
                        .map(FakeStores.Call::method)
                        .toList());
    }

    /** OrderStatusChanged as order-service's relay publishes it for an order it cancelled; answers the event id. */
    private String cancelled(String orderId, long storeOrderId, String source, boolean tellStore) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(ContractCheck.example("OrderStatusChanged"));
            event.put("orderId", orderId)
                    .put("retailerId", retailer)
                    .put("storeOrderId", String.valueOf(storeOrderId))
                    .put("status", "CANCELLED")
                    .put("previousStatus", "ON_HOLD")
                    .put("source", source)
                    .put("tellStore", tellStore)
                    .put("reason", "held longer than the retailer's 3 days: line 1 has no active supplier offer left")
                    .put("customerMessage", "Sorry " + run + ": the mug sold out. Your money is on its way back.")
                    .put("occurredAt", Instant.now().toString());
            ContractCheck.assertValid("OrderStatusChanged", event.toString());
            String eventId = UUID.randomUUID().toString();
            TopicProbe.send(
                    "OrderStatusChanged",
                    orderId,
                    event.toString(),
                    Map.of("id", eventId, "eventType", "OrderStatusChanged"));
            return eventId;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anOrderThePlatformCancelledIsCancelledAtTheShopOnceWithTheCustomerRefundedAndToldWhy() throws Exception {
        String shop = "cancel-" + run + ".myshopify.com";
        String storeId = connect("SHOPIFY", shop, "shpat_" + run);
        long storeOrderId = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000_000L);
        FakeShopify fake = fakes.shopify(shop, "shpat_" + run).addOrder(storeOrderId, lines(MUG_LINE, 2));
        String orderId = shopifyOrder(shop, storeOrderId);

        cancelled(orderId, storeOrderId, "EXPIRY", true);
        cancelled(orderId, storeOrderId, "EXPIRY", true); // announced twice under two event ids: one call all the same

        await().atMost(Duration.ofSeconds(30)).until(() -> fake.cancellation(storeOrderId) != null);
        FakeShopify.Cancellation c = fake.cancellation(storeOrderId);
        assertEquals("INVENTORY", c.reason(), "the customer's e-mail says the items were unavailable");
        assertTrue(c.refundToOriginalPayment() && c.notifyCustomer(), c.toString());
        assertTrue(!c.restock(), "the shop's quantities are the suppliers' stock, kept in sync: no restock");
        assertTrue(
                c.staffNote().contains("held longer than the retailer's 3 days")
                        && c.staffNote().contains("the mug sold out"),
                c.staffNote());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> pushes(storeId).size() == 1
                        && pushes(storeId).get(0).get("status").asText().equals("DONE"));
        JsonNode push = pushes(storeId).get(0);
        assertEquals("CANCEL", push.get("kind").asText());
        assertEquals(orderId, push.get("orderId").asText());
        assertTrue(push.get("shipmentId").isNull());
        assertEquals(1, fake.cancelCalls());
        // The order's timeline hears of the webhook that brought it (named by its OrderPlaced, not an OrderActivity of
        // its own) and of the store's answer.
        assertEquals(1, Outboxes.publishedContaining("OrderPlaced", orderId, "orders/paid"));
        assertEquals(0, Outboxes.publishedContaining("OrderActivity", orderId, "STORE_WEBHOOK"));
        assertEquals(
                1, Outboxes.publishedContaining("OrderActivity", orderId, "Cancellation to the shopify store: done"));
    }

    @Test
    void aCancellationWhoseAnswerWasLostIsAskedAboutNotSentTwiceAndOneTheStoreNeedNotHearOfIsNotSent()
            throws Exception {
        String shop = "lostcancel-" + run + ".myshopify.com";
        String storeId = connect("SHOPIFY", shop, "shpat_" + run);
        long storeOrderId = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000_000L);
        FakeShopify fake = fakes.shopify(shop, "shpat_" + run).addOrder(storeOrderId, lines(MUG_LINE, 1));
        String orderId = shopifyOrder(shop, storeOrderId);
        long quiet = storeOrderId + 1;
        fake.addOrder(quiet, lines(TEE_LINE, 1));
        String quietOrder = shopifyOrder(shop, quiet);
        fake.loseNextAnswer("orderCancel");

        String skipped = cancelled(quietOrder, quiet, "STORE", false);
        cancelled(orderId, storeOrderId, "RETAILER", true);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> pushes(storeId).size() == 1
                        && pushes(storeId).get(0).get("status").asText().equals("DONE"));
        assertEquals(2, pushes(storeId).get(0).get("attempts").asInt(), "the lost answer, then the retry");
        assertEquals(1, fake.cancelCalls(), "the retry asked the shop and found the order cancelled");
        assertEquals("INVENTORY", fake.cancellation(storeOrderId).reason(), "it was on hold for want of a supplier");
        Outboxes.awaitConsumed("integration-gateway.order-status-changed", skipped);
        assertEquals(null, fake.cancellation(quiet), "the store cancelled that one itself");
    }

    @Test
    void aWooCommerceOrderThePlatformCancelledGetsTheCustomersNoteOnceAndTheStatusCancelled() throws Exception {
        String siteName = "cancel-" + run;
        WooOrder w = wooTwoLineOrder(siteName);
        w.woo().loseNextAnswer("orders/" + w.storeOrderId() + "/notes");

        cancelled(w.orderId(), w.storeOrderId(), "EXPIRY", true);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "cancelled".equals(w.woo().status(w.storeOrderId())));
        assertEquals(1, w.woo().notes(w.storeOrderId()).size(), "the customer is told once");
        FakeWooCommerce.Note note = w.woo().notes(w.storeOrderId()).get(0);
        assertEquals("Sorry " + run + ": the mug sold out. Your money is on its way back.", note.note());
        assertTrue(note.customerNote());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> pushes(w.storeId()).get(0).get("status").asText().equals("DONE"));
        assertEquals("CANCEL", pushes(w.storeId()).get(0).get("kind").asText());
    }
}
