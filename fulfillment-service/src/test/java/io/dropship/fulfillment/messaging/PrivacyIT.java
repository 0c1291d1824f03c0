package io.dropship.fulfillment.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.contracts.ContractCheck;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.Outboxes;
import io.dropship.testkit.Rows;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** fulfillment-service's share of a privacy request: the supplier orders of the orders order-service found. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class PrivacyIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String supplier = "sup-" + UUID.randomUUID().toString().substring(0, 8);

    /** The supplier's endpoint for order callbacks; it takes every one. */
    private com.sun.net.httpserver.HttpServer endpoint;

    @org.junit.jupiter.api.BeforeEach
    void startTheSuppliersEndpoint() throws Exception {
        endpoint = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 8);
        endpoint.createContext("/orders", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        endpoint.start();
    }

    @org.junit.jupiter.api.AfterEach
    void stopIt() {
        endpoint.stop(0);
    }

    private RequestSpecification asSupplier() {
        return given().auth().oauth2(TestTokens.supplier(supplier)).contentType(ContentType.JSON);
    }

    /** A supplier order reserved, paid and shown to its supplier, whose callback keeps a copy with the address. */
    private String[] shippedOrder(boolean ship) throws Exception {
        asSupplier()
                .body("{\"url\":\"http://127.0.0.1:" + endpoint.getAddress().getPort() + "/orders\",\"enabled\":true}")
                .put("/api/supplier/callback")
                .then()
                .statusCode(200);
        ObjectNode e = (ObjectNode) JSON.readTree(ContractCheck.example("StockReserved"));
        String orderId = UUID.randomUUID().toString();
        String soId = UUID.randomUUID().toString();
        e.put("orderId", orderId)
                .put("supplierOrderId", soId)
                .put("supplierId", supplier)
                .put("reservedAt", Instant.now().toString());
        TopicProbe.send(
                "StockReserved",
                orderId,
                e.toString(),
                Map.of("id", UUID.randomUUID().toString(), "eventType", "StockReserved"));
        ObjectNode cleared = (ObjectNode) JSON.readTree(ContractCheck.example("PaymentCleared"));
        cleared.put("paymentId", orderId)
                .put("orderId", orderId)
                .put("basis", "CHARGED")
                .put("clearedAt", Instant.now().toString());
        cleared.putArray("supplierOrderIds").add(soId);
        TopicProbe.send(
                "PaymentCleared",
                orderId,
                cleared.toString(),
                Map.of("id", UUID.randomUUID().toString(), "eventType", "PaymentCleared"));
        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> asSupplier()
                        .get("/api/supplier/orders/" + soId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("RECEIVED")));
        Rows.await(
                "select 1 from callback_delivery where supplier_order_id = cast(? as uuid)"
                        + " and payload #>> '{supplierOrder,shippingAddress,name}' = 'Ada Lovelace'",
                soId);
        if (ship) {
            asSupplier()
                    .body("{\"carrier\":\"UPS\",\"trackingNumber\":\"1ZPRIV" + soId.substring(0, 6) + "\"}")
                    .post("/api/supplier/orders/" + soId + "/ship")
                    .then()
                    .statusCode(200);
        }
        return new String[] {orderId, soId};
    }

    /** order-service's answer: the orders it found for the request, one part. */
    private static String orderServiceFound(String kind, String... orderIds) throws Exception {
        String requestId = UUID.randomUUID().toString();
        ObjectNode done = (ObjectNode) JSON.readTree(ContractCheck.example("PrivacyRequestDone"));
        done.put("requestId", requestId)
                .put("service", "order-service")
                .put("kind", kind)
                .put("records", orderIds.length)
                .put("doneAt", Instant.now().toString());
        done.putArray("orderIds")
                .addAll(java.util.Arrays.stream(orderIds)
                        .map(JSON.getNodeFactory()::textNode)
                        .toList());
        if (!kind.equals("EXPORT_CUSTOMER")) {
            done.putNull("data");
        }
        ContractCheck.assertValid("PrivacyRequestDone", done.toString());
        TopicProbe.send(
                "PrivacyRequestDone",
                requestId,
                done.toString(),
                Map.of("id", UUID.randomUUID().toString(), "eventType", "PrivacyRequestDone"));
        return requestId;
    }

    private static JsonNode ownAnswer(String requestId) throws Exception {
        ConsumerRecord<String, String> r = TopicProbe.await(
                "PrivacyRequestDone",
                x -> requestId.equals(x.key()) && x.value().contains("\"fulfillment-service\""),
                Duration.ofSeconds(60));
        ContractCheck.assertValid("PrivacyRequestDone", r.value());
        // This service reads the topic its answer is on: once it has read its own answer, it must not have answered it.
        Outboxes.awaitConsumed(
                "fulfillment-service.privacy-request-done",
                TopicProbe.header(r, "id").orElseThrow());
        assertEquals(1, Outboxes.published("PrivacyRequestDone", requestId), "one answer per part of order-service's");
        return JSON.readTree(r.value());
    }

    @Test
    void anErasureKeepsOnlyTheCountryOnTheSupplierOrderAndOnTheCallbackCopyAndAnswersForThePart() throws Exception {
        String[] erased = shippedOrder(true);
        String[] other = shippedOrder(true);

        String requestId = orderServiceFound("REDACT_CUSTOMER", erased[0]);

        JsonNode answer = ownAnswer(requestId);
        assertEquals(1, answer.get("part").asInt());
        assertEquals(1, answer.get("records").asInt());
        assertEquals(erased[0], answer.get("orderIds").get(0).asText());
        asSupplier()
                .get("/api/supplier/orders/" + erased[1])
                .then()
                .statusCode(200)
                .body("shippingAddress.name", nullValue())
                .body("shippingAddress.line1", nullValue())
                .body("shippingAddress.country", equalTo("GB"))
                .body("status", equalTo("SHIPPED"));
        Rows.await(
                "select 1 from callback_delivery where supplier_order_id = cast(? as uuid)"
                        + " and payload #> '{supplierOrder,shippingAddress}' = '{\"country\": \"GB\"}'::jsonb",
                erased[1]);
        asSupplier()
                .get("/api/supplier/orders/" + other[1])
                .then()
                .body("shippingAddress.name", equalTo("Ada Lovelace"));
    }

    @Test
    void anExportListsTheSupplierOrdersWithTheirAddressAndTrackingAndChangesNothing() throws Exception {
        String[] shipped = shippedOrder(true);

        String requestId = orderServiceFound("EXPORT_CUSTOMER", shipped[0]);

        JsonNode answer = ownAnswer(requestId);
        assertEquals(1, answer.get("records").asInt());
        JsonNode row = answer.get("data").get(0);
        assertEquals(shipped[1], row.get("supplierOrderId").asText());
        assertEquals("Ada Lovelace", row.get("shippingAddress").get("name").asText());
        assertTrue(row.get("trackingNumber").asText().startsWith("1ZPRIV"));
        asSupplier()
                .get("/api/supplier/orders/" + shipped[1])
                .then()
                .body("shippingAddress.name", equalTo("Ada Lovelace"));
    }

    @Test
    void anAnswerWithNoOrdersIsAnsweredWithNone() throws Exception {
        String requestId = orderServiceFound("REDACT_STORE");
        JsonNode answer = ownAnswer(requestId);
        assertEquals(0, answer.get("records").asInt());
        assertEquals(0, answer.get("orderIds").size());
        assertTrue(answer.get("data").isNull());
    }
}
