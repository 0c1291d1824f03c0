package io.dropship.order.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.contracts.ContractCheck;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class OrderPlacedConsumerIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The contract's example with a fresh order id: what integration-gateway publishes. */
    static String placed(String orderId, String retailerId) throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(ContractCheck.example("OrderPlaced"));
        event.put("orderId", orderId);
        event.put("retailerId", retailerId);
        event.put("orderNumber", "DS-" + orderId.substring(0, 8));
        String json = event.toString();
        ContractCheck.assertValid("OrderPlaced", json);
        return json;
    }

    private static void publish(String orderId, String json, String eventId) {
        TopicProbe.send("OrderPlaced", orderId, json, Map.of("id", eventId, "eventType", "OrderPlaced"));
    }

    @Test
    void aPlacedOrderThatMapsToNoListingIsHeldWithTheReasonAndItsRetailerCanReadIt() throws Exception {
        String orderId = UUID.randomUUID().toString();
        publish(orderId, placed(orderId, "ret-10"), UUID.randomUUID().toString());

        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.retailer("ret-10"))
                        .get("/api/orders/" + orderId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("ON_HOLD"))
                        .body("holdReason", containsString("(SKU MUG-BLK-12) maps to no listing"))
                        .body("supplierOrders", hasSize(0))
                        .body("lines", hasSize(2))
                        .body("lines[0].retailPrice", equalTo("14.9900"))
                        .body("shippingAddress.country", equalTo("GB"))
                        .body("totals.total", equalTo("37.9300")));
    }

    @Test
    void aRetailerNeverSeesAnotherRetailersOrderButStaffDo() throws Exception {
        String orderId = UUID.randomUUID().toString();
        publish(orderId, placed(orderId, "ret-11"), UUID.randomUUID().toString());
        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.admin())
                        .get("/api/orders/" + orderId)
                        .then()
                        .statusCode(200));

        given().auth()
                .oauth2(TestTokens.retailer("ret-12"))
                .get("/api/orders/" + orderId)
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestTokens.support())
                .get("/api/orders/" + orderId)
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(TestTokens.supplier("sup-1"))
                .get("/api/orders/" + orderId)
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.retailer("ret-12"))
                .get("/api/orders?retailerId=ret-11")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.retailer("ret-12"))
                .get("/api/orders")
                .then()
                .statusCode(200)
                .body("items.orderId", not(hasItem(orderId)));
        given().auth()
                .oauth2(TestTokens.retailer("ret-11"))
                .get("/api/orders?status=ON_HOLD")
                .then()
                .statusCode(200)
                .body("items.orderId", hasItem(orderId));
    }

    @Test
    void aRetailersOrdersArePagedByCursorNewestFirstWithoutGapsOrRepeats() throws Exception {
        String retailer = "ret-pages-" + UUID.randomUUID().toString().substring(0, 6);
        java.util.List<String> placedIds = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String orderId = UUID.randomUUID().toString();
            placedIds.add(orderId);
            publish(orderId, placed(orderId, retailer), UUID.randomUUID().toString());
        }
        String token = TestTokens.retailer(retailer);
        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(token)
                        .get("/api/orders?limit=200")
                        .then()
                        .statusCode(200)
                        .body("items.size()", equalTo(5))
                        .body("nextCursor", org.hamcrest.Matchers.nullValue()));
        java.util.List<String> seen = new java.util.ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = given().auth()
                    .oauth2(token)
                    .queryParam("limit", 2)
                    .queryParams(cursor == null ? java.util.Map.of() : java.util.Map.of("cursor", cursor))
                    .get("/api/orders")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            seen.addAll(page.getList("items.orderId", String.class));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(new java.util.HashSet<>(placedIds), new java.util.HashSet<>(seen));
        assertEquals(5, seen.size(), "no order twice: " + seen);
    }

    @Test
    void aRedeliveredOrderPlacedCreatesOneOrder() throws Exception {
        String orderId = UUID.randomUUID().toString();
        String eventId = UUID.randomUUID().toString();
        String json = placed(orderId, "ret-13");
        publish(orderId, json, eventId);
        publish(orderId, json, eventId);
        // A second event for the same order (the gateway's relay resending after a crash gives the same id,
        // but a replayed store webhook would not): still one order.
        publish(orderId, json, UUID.randomUUID().toString());
        String marker = UUID.randomUUID().toString();
        publish(marker, placed(marker, "ret-13"), UUID.randomUUID().toString());

        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.retailer("ret-13"))
                        .get("/api/orders/" + marker)
                        .then()
                        .statusCode(200));
        given().auth()
                .oauth2(TestTokens.retailer("ret-13"))
                .get("/api/orders")
                .then()
                .statusCode(200)
                .body("items.findAll { it.orderId == '" + orderId + "' }", hasSize(1))
                .body("items.find { it.orderId == '" + orderId + "' }.status", equalTo("ON_HOLD"));
        given().auth()
                .oauth2(TestTokens.retailer("ret-13"))
                .get("/api/orders/" + orderId)
                .then()
                .body("lines", hasSize(2));
    }

    @Test
    void anOrderPlacedWithoutLinesIsDeadLetteredAndTheNextOneStillArrives() throws Exception {
        String bad = UUID.randomUUID().toString();
        ObjectNode broken = (ObjectNode) JSON.readTree(placed(bad, "ret-14"));
        broken.remove("lines");
        publish(bad, broken.toString(), UUID.randomUUID().toString());
        String good = UUID.randomUUID().toString();
        publish(good, placed(good, "ret-14"), UUID.randomUUID().toString());

        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.retailer("ret-14"))
                        .get("/api/orders/" + good)
                        .then()
                        .statusCode(200));
        ConsumerRecord<String, String> dead =
                TopicProbe.await("OrderPlaced.order-service.DLT", r -> bad.equals(r.key()), Duration.ofSeconds(30));
        org.junit.jupiter.api.Assertions.assertTrue(
                TopicProbe.header(dead, "dead-letter-reason").orElseThrow().contains("lacks"));
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/orders/" + bad)
                .then()
                .statusCode(404);
    }
}
