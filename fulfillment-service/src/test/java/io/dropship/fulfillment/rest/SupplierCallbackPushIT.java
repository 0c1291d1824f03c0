package io.dropship.fulfillment.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.dropship.contracts.ContractCheck;
import io.dropship.fulfillment.service.CallbackDispatcher;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A supplier with a callback endpoint is sent each order it receives, signed, and again until the endpoint takes it. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class SupplierCallbackPushIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Received(Map<String, String> headers, String body) {}

    private HttpServer endpoint;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failFirst = new AtomicInteger();
    private final AtomicInteger loseFirst = new AtomicInteger();
    /** When set, the endpoint refuses with this many bytes of answer. */
    private volatile int refuseWithBytes;
    /** When set, the endpoint holds its answer until the latch opens. */
    private volatile java.util.concurrent.CountDownLatch holdAnswer;

    @BeforeEach
    void startTheSuppliersEndpoint() throws Exception {
        endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        endpoint.createContext("/dropship/orders", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                received.add(new Received(
                        Map.of(
                                "event",
                                        String.valueOf(
                                                exchange.getRequestHeaders().getFirst("X-Dropship-Event")),
                                "delivery",
                                        String.valueOf(
                                                exchange.getRequestHeaders().getFirst("X-Dropship-Delivery")),
                                "signature",
                                        String.valueOf(
                                                exchange.getRequestHeaders().getFirst("X-Dropship-Signature"))),
                        body));
            }
            java.util.concurrent.CountDownLatch hold = holdAnswer;
            if (hold != null) {
                try {
                    hold.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (loseFirst.getAndDecrement() > 0) {
                // The supplier took the order, but the connection drops before its answer reaches the platform.
                exchange.close();
                return;
            }
            if (refuseWithBytes > 0) {
                exchange.sendResponseHeaders(500, 0);
                try (var out = exchange.getResponseBody()) {
                    byte[] chunk = "broken ".repeat(1024).getBytes(StandardCharsets.UTF_8);
                    for (long sent = 0; sent < refuseWithBytes; sent += chunk.length) {
                        out.write(chunk);
                    }
                }
                return;
            }
            int status = failFirst.getAndDecrement() > 0 ? 503 : 204;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        endpoint.start();
    }

    /** A supplier order reserved for the supplier (StockReserved as inventory publishes it) and its payment cleared. */
    private static String[] reservedAndPaid(String supplier) throws Exception {
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
        Payments.cleared(orderId, soId);
        return new String[] {orderId, soId};
    }

    @AfterEach
    void stopIt() {
        endpoint.stop(0);
    }

    @Test
    void anEndpointThatAnswersWithGigabytesIsReadPastAndOnlyItsFirstWordsAreKept() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        String url = "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/dropship/orders";
        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .contentType(ContentType.JSON)
                .body("{\"url\":\"" + url + "\",\"enabled\":true}")
                .put("/api/supplier/callback")
                .then()
                .statusCode(200);
        refuseWithBytes = 20 * 1024 * 1024;
        String[] ids = reservedAndPaid(supplier);
        String orderId = ids[0];
        String soId = ids[1];

        await().atMost(60, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.supplier(supplier))
                        .get("/api/supplier/callback/deliveries")
                        .then()
                        .statusCode(200)
                        .body("items[0].lastStatus", equalTo(500))
                        .body(
                                "items[0].lastError",
                                org.hamcrest.Matchers.startsWith("the endpoint answered 500: broken broken"))
                        .body("items[0].lastError", org.hamcrest.Matchers.containsString("(2097"))
                        .body("items[0].lastError.length()", org.hamcrest.Matchers.lessThan(400)));
        refuseWithBytes = 0;
    }

    @Test
    void eachReceivedOrderIsPushedSignedAndRetriedUntilTheEndpointTakesIt() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        String url = "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/dropship/orders";
        String secret = given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .contentType(ContentType.JSON)
                .body("{\"url\":\"" + url + "\",\"enabled\":true}")
                .put("/api/supplier/callback")
                .then()
                .statusCode(200)
                .extract()
                .path("signingSecret");
        failFirst.set(1);

        String[] ids = reservedAndPaid(supplier);
        String orderId = ids[0];
        String soId = ids[1];

        await().atMost(30, TimeUnit.SECONDS).until(() -> received.size() >= 2);
        Received delivered = received.get(1);
        assertEquals(received.get(0).body(), delivered.body(), "the retry repeats the same delivery");
        assertEquals(
                received.get(0).headers().get("delivery"), delivered.headers().get("delivery"));
        assertEquals("supplier_order.received", delivered.headers().get("event"));
        String signature = delivered.headers().get("signature");
        long t = Long.parseLong(signature.substring(2, signature.indexOf(',')));
        assertEquals(
                CallbackDispatcher.signature(secret, t, delivered.body()),
                signature,
                "signed with the supplier's secret");
        assertTrue(Math.abs(Instant.now().getEpochSecond() - t) < 60);
        JsonNode body = JSON.readTree(delivered.body());
        assertEquals(soId, body.at("/supplierOrder/supplierOrderId").asText());
        assertEquals("MUG-BLK-12", body.at("/supplierOrder/lines/0/sku").asText());
        assertEquals("GB", body.at("/supplierOrder/shippingAddress/country").asText());

        await().atMost(10, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.supplier(supplier))
                        .get("/api/supplier/callback/deliveries")
                        .then()
                        .statusCode(200)
                        .body("items[0].status", equalTo("DELIVERED"))
                        .body("items[0].attempts", equalTo(2))
                        .body("items[0].lastStatus", equalTo(204)));
        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .get("/api/supplier/callback/deliveries?status=BOGUS")
                .then()
                .statusCode(400);
        // DELIVERED is final: the dispatcher claims only deliveries still owed, so these two are all there will be.
        assertEquals(2, received.size(), "delivered once taken");
        // Announced once, saying the callback carries it (the gateway then e-mails the supplier nothing).
        assertEquals(1, io.dropship.testkit.Outboxes.published("SupplierOrderUpdated", orderId));
        assertEquals(
                1,
                io.dropship.testkit.Outboxes.publishedContaining(
                        "SupplierOrderUpdated", orderId, "\"byCallback\": true"));
        // Each attempt and the endpoint's answer go into the order's timeline.
        await().atMost(10, TimeUnit.SECONDS)
                .until(() ->
                        io.dropship.testkit.Outboxes.publishedContaining("OrderActivity", orderId, "SUPPLIER_CALLBACK")
                                == 2);
        assertEquals(
                1,
                io.dropship.testkit.Outboxes.publishedContaining(
                        "OrderActivity", orderId, "attempt 2: taken (HTTP 204)"));
    }

    @Test
    void aDeliveryWhoseAnswerWasLostIsSentAgainUnderItsDeliveryIdSoTheSupplierTakesItOnce() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        String url = "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/dropship/orders";
        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .contentType(ContentType.JSON)
                .body("{\"url\":\"" + url + "\",\"enabled\":true}")
                .put("/api/supplier/callback")
                .then()
                .statusCode(200);
        loseFirst.set(1);
        String[] ids = reservedAndPaid(supplier);
        String orderId = ids[0];
        String soId = ids[1];

        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.supplier(supplier))
                        .get("/api/supplier/callback/deliveries")
                        .then()
                        .statusCode(200)
                        .body("items[0].status", equalTo("DELIVERED"))
                        .body("items[0].attempts", equalTo(2)));
        assertEquals(2, received.size(), "the lost one and its retry");
        assertEquals(received.get(0).body(), received.get(1).body());
        assertEquals(
                received.get(0).headers().get("delivery"),
                received.get(1).headers().get("delivery"),
                "one delivery id: a supplier that keeps the ids it took takes the order once");
        assertEquals(
                1,
                received.stream()
                        .map(r -> r.headers().get("delivery"))
                        .distinct()
                        .count());
    }

    /**
     * The supplier answers while the database is down: the answer is kept and recorded once the database is back,
     * not lost until the delivery's two-minute lease runs out and the order is sent again.
     */
    @Test
    void anAnswerThatArrivesWhileTheDatabaseIsDownIsRecordedWhenItIsBack() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        String url = "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/dropship/orders";
        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .contentType(ContentType.JSON)
                .body("{\"url\":\"" + url + "\",\"enabled\":true}")
                .put("/api/supplier/callback")
                .then()
                .statusCode(200);
        java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
        holdAnswer = answer;
        String[] ids = reservedAndPaid(supplier);
        String orderId = ids[0];
        String soId = ids[1];
        await().atMost(30, TimeUnit.SECONDS).until(() -> received.size() == 1);

        io.dropship.infra.LocalPostgres postgres =
                io.dropship.testkit.SharedInfrastructure.get().postgres();
        postgres.stopServer();
        try {
            holdAnswer = null;
            answer.countDown();
            // The 204 is in; recording it fails while the database is away, and is retried.
            await().atMost(30, TimeUnit.SECONDS)
                    .until(() -> io.dropship.testkit.Management.given()
                            .get("/q/metrics")
                            .then()
                            .extract()
                            .asString()
                            .contains("dropship_outcomes_waiting 1.0"));
        } finally {
            postgres.startAgain();
        }
        await().atMost(60, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.supplier(supplier))
                        .get("/api/supplier/callback/deliveries")
                        .then()
                        .statusCode(200)
                        .body("items[0].status", equalTo("DELIVERED"))
                        .body("items[0].attempts", equalTo(1))
                        .body("items[0].lastStatus", equalTo(204)));
        assertEquals(1, received.size(), "sent once: the answer was not lost to the outage");
    }

    @Test
    void aSupplierWithoutAnEnabledEndpointIsSentNothing() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        String url = "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/dropship/orders";
        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .contentType(ContentType.JSON)
                .body("{\"url\":\"" + url + "\",\"enabled\":false}")
                .put("/api/supplier/callback")
                .then()
                .statusCode(200);
        String[] ids = reservedAndPaid(supplier);
        String orderId = ids[0];
        String soId = ids[1];
        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.supplier(supplier))
                        .get("/api/supplier/orders/" + soId)
                        .then()
                        .statusCode(200));
        // The order was recorded without a delivery owed (same transaction): nothing can be sent for it.
        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .get("/api/supplier/callback/deliveries")
                .then()
                .body("items.size()", equalTo(0));
        assertEquals(0, received.size());
        // The order reached the supplier all the same, and that is announced for the gateway to tell the supplier.
        String update = io.dropship.testkit.TopicProbe.await(
                        "SupplierOrderUpdated", r -> orderId.equals(r.key()), java.time.Duration.ofSeconds(30))
                .value();
        ContractCheck.assertValid("SupplierOrderUpdated", update);
        JsonNode announced = JSON.readTree(update);
        assertEquals(soId, announced.get("supplierOrderId").asText());
        assertEquals("supplier_order.received", announced.get("event").asText());
        assertEquals(false, announced.get("byCallback").asBoolean());
    }
}
