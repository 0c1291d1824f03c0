package io.dropship.order.messaging;

import static io.dropship.testkit.Events.example;
import static io.dropship.testkit.Events.publish;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.contracts.ContractCheck;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.Rows;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** A store customer's privacy requests as order-service carries them out: find the orders, erase or export them. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class PrivacyIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String retailer = "ret-" + run;
    private final String store = "st-" + run;

    /** An order of the store for the customer, left ON_HOLD (its SKU maps to no listing) or cancelled by the store. */
    private String order(String storeId, String storeOrderId, String email, boolean cancel) throws Exception {
        String orderId = UUID.randomUUID().toString();
        ObjectNode placed = example("OrderPlaced")
                .put("orderId", orderId)
                .put("retailerId", retailer)
                .put("storeId", storeId)
                .put("storeOrderId", storeOrderId)
                .put("orderNumber", "DS-" + orderId.substring(0, 8))
                .put("customerEmail", email);
        ((ObjectNode) placed.get("shippingAddress")).put("email", email);
        publish("OrderPlaced", orderId, placed);
        awaitStatus(orderId, "ON_HOLD");
        if (cancel) {
            publish(
                    "OrderCancelled",
                    orderId,
                    example("OrderCancelled")
                            .put("orderId", orderId)
                            .put("retailerId", retailer)
                            .put("storeId", storeId)
                            .put("storeOrderId", storeOrderId)
                            .put("cancelledAt", Instant.now().toString()));
            awaitStatus(orderId, "CANCELLED");
        }
        return orderId;
    }

    private void awaitStatus(String orderId, String status) {
        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.retailer(retailer))
                        .get("/api/orders/" + orderId + "/status")
                        .then()
                        .statusCode(200)
                        .body("status", equalTo(status)));
    }

    private String request(String kind, String storeId, String email, String... storeOrderIds) throws Exception {
        String requestId = UUID.randomUUID().toString();
        ObjectNode e = example("PrivacyRequested")
                .put("requestId", requestId)
                .put("kind", kind)
                .put("retailerId", retailer)
                .put("storeId", storeId)
                .put("customerEmail", email)
                .put("requestedAt", Instant.now().toString());
        e.putArray("storeOrderIds")
                .addAll(java.util.Arrays.stream(storeOrderIds)
                        .map(JSON.getNodeFactory()::textNode)
                        .toList());
        publish("PrivacyRequested", requestId, e);
        return requestId;
    }

    private static List<JsonNode> answers(String requestId, int parts) throws Exception {
        List<ConsumerRecord<String, String>> records =
                TopicProbe.collect("PrivacyRequestDone", r -> requestId.equals(r.key()), parts, Duration.ofSeconds(60));
        List<JsonNode> answers = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            ContractCheck.assertValid("PrivacyRequestDone", r.value());
            answers.add(JSON.readTree(r.value()));
        }
        return answers;
    }

    private JsonNode view(String orderId) throws Exception {
        return JSON.readTree(given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/orders/" + orderId)
                .asString());
    }

    @Test
    void anErasureFindsTheCustomersOrdersByEmailAndStoreOrderErasesTheFinishedOnesAndKeepsTheOpenOne()
            throws Exception {
        String done = order(store, "so-1-" + run, "Ada@Example.com", true);
        String byNumber = order(store, "so-2-" + run, "other-" + run + "@example.com", true);
        String open = order(store, "so-3-" + run, "ada@example.com", false);
        String stranger = order(store, "so-4-" + run, "grace@example.com", true);
        String otherStore = order("st-other-" + run, "so-5-" + run, "ada@example.com", true);

        String requestId = request("REDACT_CUSTOMER", store, "ada@example.com", "so-2-" + run);

        JsonNode answer = answers(requestId, 1).get(0);
        assertEquals("order-service", answer.get("service").asText());
        assertEquals(1, answer.get("parts").asInt());
        assertEquals(Set.of(done, byNumber), ids(answer.get("orderIds")));
        assertEquals(Set.of(open), ids(answer.get("keptOrderIds")), "an order still being fulfilled keeps its address");
        assertEquals(2, answer.get("records").asInt());
        assertTrue(answer.get("data").isNull());

        for (String erased : List.of(done, byNumber)) {
            JsonNode order = view(erased);
            assertNull(order.get("shippingAddress").get("name").textValue(), "the name is gone");
            assertNull(order.get("shippingAddress").get("line1").textValue());
            assertEquals(
                    "GB",
                    order.get("shippingAddress").get("country").asText(),
                    "the country stays, for the statistics");
            assertTrue(order.hasNonNull("redactedAt"));
        }
        Rows.await("select 1 from customer_order where id = cast(? as uuid) and customer_email is null", done);
        for (String untouched : List.of(open, stranger, otherStore)) {
            JsonNode order = view(untouched);
            assertEquals(
                    "Ada Lovelace", order.get("shippingAddress").get("name").asText());
            assertTrue(order.get("redactedAt").isNull());
        }
    }

    @Test
    void anExportHandsOverEveryOrderOfTheCustomerWithItsAddressAndLinesAndErasesNothing() throws Exception {
        String open = order(store, "so-1-" + run, "lin@example.com", false);
        String done = order(store, "so-2-" + run, "lin@example.com", true);

        String requestId = request("EXPORT_CUSTOMER", store, "LIN@example.com");

        JsonNode answer = answers(requestId, 1).get(0);
        assertEquals(Set.of(open, done), ids(answer.get("orderIds")));
        assertEquals(2, answer.get("data").size());
        JsonNode first = answer.get("data").get(0);
        assertEquals("lin@example.com", first.get("customerEmail").asText());
        assertEquals("Ada Lovelace", first.get("shippingAddress").get("name").asText());
        assertEquals("MUG-BLK-12", first.get("lines").get(0).get("sku").asText());
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/orders/" + done)
                .then()
                .body("shippingAddress.name", equalTo("Ada Lovelace"))
                .body("redactedAt", nullValue());
    }

    @Test
    void aStorePurgeErasesEveryOrderOfTheStoreInPartsOfAHundredOpenOrNot() throws Exception {
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            orders.add(order(store, "so-" + i + "-" + run, "c" + i + "@example.com", i == 0));
        }
        String kept = order("st-kept-" + run, "so-9-" + run, "c0@example.com", true);

        String requestId = request("REDACT_STORE", store, null);

        JsonNode answer = answers(requestId, 1).get(0);
        assertEquals(Set.copyOf(orders), ids(answer.get("orderIds")));
        assertEquals(0, answer.get("keptOrderIds").size());
        for (String o : orders) {
            given().auth()
                    .oauth2(TestTokens.retailer(retailer))
                    .get("/api/orders/" + o)
                    .then()
                    .body("shippingAddress.name", nullValue())
                    .body("redactedAt", notNullValue());
        }
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/orders/" + kept)
                .then()
                .body("shippingAddress.name", equalTo("Ada Lovelace"));
    }

    @Test
    void aRequestThatMatchesNothingIsAnsweredWithOneEmptyPartSoTheGatewayCanCompleteIt() throws Exception {
        String requestId = request("REDACT_CUSTOMER", store, "nobody-" + run + "@example.com");

        JsonNode answer = answers(requestId, 1).get(0);
        assertEquals(1, answer.get("part").asInt());
        assertEquals(1, answer.get("parts").asInt());
        assertEquals(0, answer.get("orderIds").size());
        assertEquals(0, answer.get("records").asInt());
    }

    private static Set<String> ids(JsonNode array) {
        Set<String> ids = new java.util.HashSet<>();
        array.forEach(n -> ids.add(n.asText()));
        return ids;
    }
}
