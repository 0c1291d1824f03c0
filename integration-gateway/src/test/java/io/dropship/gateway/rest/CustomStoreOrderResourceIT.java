package io.dropship.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.contracts.ContractCheck;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class CustomStoreOrderResourceIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The contract's example order, as a custom store would post it. */
    static ObjectNode order(String storeOrderId) throws Exception {
        ObjectNode example = (ObjectNode) JSON.readTree(ContractCheck.example("OrderPlaced"));
        ObjectNode order = JSON.createObjectNode();
        order.put("storeOrderId", storeOrderId);
        order.put("currency", "USD");
        order.put("customerEmail", "ada@example.com");
        order.set("lines", example.get("lines"));
        order.set("shippingAddress", example.get("shippingAddress"));
        order.set("totals", example.get("totals"));
        return order;
    }

    private static RequestSpecification asRetailer(String retailerId) {
        return given().auth().oauth2(TestTokens.retailer(retailerId)).contentType(ContentType.JSON);
    }

    @Test
    void anAcceptedOrderIsPublishedAsOrderPlacedThatMatchesTheContract() throws Exception {
        String storeOrderId = "so-" + UUID.randomUUID();
        String orderId = asRetailer("ret-1")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .body(order(storeOrderId).toString())
                .post("/api/orders")
                .then()
                .statusCode(201)
                .body("storeOrderId", equalTo(storeOrderId))
                .body("orderNumber", startsWith("DS-"))
                .body("duplicate", equalTo(false))
                .extract()
                .path("orderId");

        ConsumerRecord<String, String> event =
                TopicProbe.await("OrderPlaced", r -> orderId.equals(r.key()), Duration.ofSeconds(60));

        ContractCheck.assertValid("OrderPlaced", event.value());
        ObjectNode payload = (ObjectNode) JSON.readTree(event.value());
        assertEquals("ret-1", payload.get("retailerId").asText(), "the retailer comes from the token");
        assertEquals("custom-ret-1", payload.get("storeId").asText());
        assertEquals("CUSTOM", payload.get("storePlatform").asText());
        assertEquals("14.99", payload.get("lines").get(0).get("retailPrice").asText());
        assertEquals("OrderPlaced", TopicProbe.header(event, "eventType").orElseThrow());
    }

    @Test
    void aRepeatedDeliveryAnswersTheFirstOrderAndPublishesNothingNew() throws Exception {
        String storeOrderId = "so-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        String first = asRetailer("ret-2")
                .header("Idempotency-Key", key)
                .body(order(storeOrderId).toString())
                .post("/api/orders")
                .then()
                .statusCode(201)
                .extract()
                .path("orderId");

        asRetailer("ret-2")
                .header("Idempotency-Key", key)
                .body(order(storeOrderId).toString())
                .post("/api/orders")
                .then()
                .statusCode(200)
                .body("orderId", equalTo(first))
                .body("duplicate", equalTo(true));
        // The same store order under a new key is the same order too.
        asRetailer("ret-2")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .body(order(storeOrderId).toString())
                .post("/api/orders")
                .then()
                .statusCode(200)
                .body("orderId", equalTo(first));

        // OrderPlaced is written in the request's transaction: after the answers, the outbox holds all there is.
        assertEquals(1, io.dropship.testkit.Outboxes.published("OrderPlaced", first));
        assertEquals(1, io.dropship.testkit.Outboxes.publishedContaining("OrderPlaced", first, storeOrderId));
    }

    /**
     * Another retailer's store id in the body (store ids show on /q/metrics) is not found, and nothing is taken in
     * under it, so the real store's orders are never answered as already taken. A retailer's own custom store is fine.
     */
    @Test
    void anOrderUnderAnotherRetailersStoreIsNotFoundAndTakesNothingOfIts() throws Exception {
        String victimStore = given().auth()
                .oauth2(TestTokens.retailer("ret-victim"))
                .contentType(ContentType.JSON)
                .body(java.util.Map.of(
                        "platform",
                        "CUSTOM",
                        "shopDomain",
                        "https://shop-" + UUID.randomUUID() + ".example",
                        "webhookSecret",
                        "whsec_victim_0123456789",
                        "apiToken",
                        "none"))
                .post("/api/stores")
                .then()
                .statusCode(201)
                .extract()
                .path("storeId");
        String storeOrderId = "so-" + UUID.randomUUID();
        for (String target : List.of(victimStore, "custom-ret-victim", "st-nonexistent")) {
            asRetailer("ret-attacker")
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .body(order(storeOrderId).put("storeId", target).toString())
                    .post("/api/orders")
                    .then()
                    .statusCode(404)
                    .body("title", equalTo("Not Found"));
        }
        assertEquals(0, count("select count(*) from inbound_order where store_order_id = ?", storeOrderId));

        String victimOrder = asRetailer("ret-victim")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .body(order(storeOrderId).put("storeId", victimStore).toString())
                .post("/api/orders")
                .then()
                .statusCode(201)
                .body("duplicate", equalTo(false))
                .extract()
                .path("orderId");
        assertEquals(1, io.dropship.testkit.Outboxes.publishedContaining("OrderPlaced", victimOrder, victimStore));
    }

    private static long count(String sql, String parameter) throws Exception {
        try (java.sql.Connection c = io.dropship.testkit.SharedInfrastructure.get()
                        .postgres()
                        .connect("app");
                java.sql.PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, parameter);
            try (java.sql.ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void anIdempotencyKeyReusedForAnotherOrderIsAConflict() throws Exception {
        String key = UUID.randomUUID().toString();
        asRetailer("ret-3")
                .header("Idempotency-Key", key)
                .body(order("so-" + UUID.randomUUID()).toString())
                .post("/api/orders")
                .then()
                .statusCode(201);
        asRetailer("ret-3")
                .header("Idempotency-Key", key)
                .body(order("so-" + UUID.randomUUID()).toString())
                .post("/api/orders")
                .then()
                .statusCode(409)
                .contentType(startsWith("application/problem+json"));
    }

    @Test
    void anOrderWithoutIdempotencyKeyIsRefused() throws Exception {
        asRetailer("ret-4")
                .body(order("so-" + UUID.randomUUID()).toString())
                .post("/api/orders")
                .then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("detail", startsWith("an Idempotency-Key header"));
    }

    @Test
    void malformedJsonIsAProblem400() {
        asRetailer("ret-4")
                .header("Idempotency-Key", "k")
                .body("{\"storeOrderId\": ")
                .post("/api/orders")
                .then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"));
    }

    @Test
    void invalidFieldsAreListedOneByOne() throws Exception {
        ObjectNode order = order("so-" + UUID.randomUUID());
        order.put("currency", "dollars");
        ((ObjectNode) ((ArrayNode) order.get("lines")).get(0)).put("quantity", 0);
        asRetailer("ret-4")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .body(order.toString())
                .post("/api/orders")
                .then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("errors.field", hasItem("currency"))
                .body("errors.field", hasItem("lines[0].quantity"));
    }

    @Test
    void anOversizeBodyIsRefused() {
        String huge = "{\"storeOrderId\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        asRetailer("ret-4")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .body(huge)
                .post("/api/orders")
                .then()
                .statusCode(413);
    }

    @Test
    void onlyRetailersSubmitOrders() throws Exception {
        given().auth()
                .oauth2(TestTokens.supplier("sup-1"))
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .body(order("so-1").toString())
                .post("/api/orders")
                .then()
                .statusCode(403)
                .contentType(startsWith("application/problem+json"));
    }

    @Test
    void devTokensAreOffUnlessConfigured() {
        given().contentType(ContentType.JSON)
                .body("{\"role\":\"ADMIN\"}")
                .post("/api/dev/tokens")
                .then()
                .statusCode(404);
    }
}
