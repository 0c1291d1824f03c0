package io.dropship.fulfillment.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class DispatchIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static RequestSpecification as(String supplier) {
        return given().auth().oauth2(TestTokens.supplier(supplier)).contentType(ContentType.JSON);
    }

    /** A StockReserved as inventory-service publishes it, for this supplier, and its payment cleared. */
    private static String[] reserved(String supplier, String eventId) throws Exception {
        String[] ids = reservedUnpaid(supplier, eventId);
        Payments.cleared(ids[0], ids[1]);
        return ids;
    }

    /** A StockReserved as inventory-service publishes it, for this supplier; its payment not taken yet. */
    private static String[] reservedUnpaid(String supplier, String eventId) throws Exception {
        ObjectNode e = (ObjectNode) JSON.readTree(ContractCheck.example("StockReserved"));
        String orderId = UUID.randomUUID().toString();
        String soId = UUID.randomUUID().toString();
        e.put("orderId", orderId)
                .put("supplierOrderId", soId)
                .put("supplierId", supplier)
                .put("reservedAt", Instant.now().toString());
        ContractCheck.assertValid("StockReserved", e.toString());
        TopicProbe.send("StockReserved", orderId, e.toString(), Map.of("id", eventId, "eventType", "StockReserved"));
        return new String[] {orderId, soId};
    }

    @jakarta.inject.Inject
    io.dropship.fulfillment.service.Dispatch dispatch;

    @jakarta.inject.Inject
    org.hibernate.reactive.mutiny.Mutiny.SessionFactory sessions;

    @Test
    void aReservationThatArrivesWhileItsClearanceIsBeingWrittenIsReleased() throws Exception {
        // The two topics are read by two consumers at once. Here the clearance's transaction has written its row and
        // looked for the supplier order (not there yet) but not committed when the reservation comes: without the
        // supplier order lock the reservation saw no clearance, the clearance no order, and the order stayed
        // AWAITING_PAYMENT for ever (the first run of a JVM hit it when both consumers started together).
        String supplier = "sup-" + UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        UUID soId = UUID.randomUUID();
        ObjectNode reserved = (ObjectNode) JSON.readTree(ContractCheck.example("StockReserved"));
        reserved.put("orderId", orderId.toString())
                .put("supplierOrderId", soId.toString())
                .put("supplierId", supplier);
        io.dropship.testkit.Interleaving.run(
                holdHere -> sessions.withTransaction(s -> dispatch.paymentCleared(s, List.of(soId), orderId, "CHARGED")
                        .chain(() -> holdHere)),
                () -> sessions.withTransaction(s -> dispatch.receive(s, reserved)));

        as(supplier).get("/api/supplier/orders/" + soId).then().statusCode(200).body("status", equalTo("RECEIVED"));
    }

    @Test
    void aReservedSupplierOrderStaysAwayFromItsSupplierUntilItsPaymentClearsAndAFailedPaymentHoldsIt()
            throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        String[] ids = reservedUnpaid(supplier, UUID.randomUUID().toString());
        Rows.await("select 1 from supplier_order where id = cast(? as uuid) and status = 'AWAITING_PAYMENT'", ids[1]);
        as(supplier).get("/api/supplier/orders").then().statusCode(200).body("items", hasSize(0));
        as(supplier).get("/api/supplier/orders/" + ids[1]).then().statusCode(404);
        as(supplier)
                .body("{\"carrier\":\"UPS\",\"trackingNumber\":\"1ZEARLY\"}")
                .post("/api/supplier/orders/" + ids[1] + "/ship")
                .then()
                .statusCode(404);

        Payments.failed(ids[0], ids[1], "Stripe: Your card was declined.");
        Rows.await(
                "select 1 from supplier_order where id = cast(? as uuid) and status = 'PAYMENT_HELD'"
                        + " and reason like '%card was declined%'",
                ids[1]);
        as(supplier).get("/api/supplier/orders/" + ids[1]).then().statusCode(404);

        Payments.cleared(ids[0], ids[1]);
        awaitReceived(supplier, ids[1]);
        as(supplier)
                .get("/api/supplier/orders/" + ids[1])
                .then()
                .statusCode(200)
                .body("status", equalTo("RECEIVED"));
        assertEquals(0, Outboxes.published("Shipped", ids[0]));
    }

    @Test
    void aPaymentClearedBeforeItsReservationArrivedLetsTheOrderThroughAtOnce() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        String orderId = UUID.randomUUID().toString();
        String soId = UUID.randomUUID().toString();
        Payments.cleared(orderId, soId);
        Rows.await("select 1 from cleared_supplier_order where supplier_order_id = cast(? as uuid)", soId);
        ObjectNode e = (ObjectNode) JSON.readTree(ContractCheck.example("StockReserved"));
        e.put("orderId", orderId).put("supplierOrderId", soId).put("supplierId", supplier);
        TopicProbe.send(
                "StockReserved",
                orderId,
                e.toString(),
                Map.of("id", UUID.randomUUID().toString(), "eventType", "StockReserved"));
        awaitReceived(supplier, soId);
    }

    @Test
    void anUnpaidSupplierOrderThatIsCancelledNeverReachesItsSupplierEvenIfThePaymentClearsLater() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        String[] ids = reservedUnpaid(supplier, UUID.randomUUID().toString());
        Rows.await("select 1 from supplier_order where id = cast(? as uuid) and status = 'AWAITING_PAYMENT'", ids[1]);
        cancel(ids[0], ids[1], supplier);
        Rows.await("select 1 from supplier_order where id = cast(? as uuid) and status = 'CANCELLED'", ids[1]);
        Payments.cleared(ids[0], ids[1]);
        Rows.await("select 1 from cleared_supplier_order where supplier_order_id = cast(? as uuid)", ids[1]);
        as(supplier).get("/api/supplier/orders/" + ids[1]).then().statusCode(404);
        as(supplier).get("/api/supplier/orders").then().statusCode(200).body("items", hasSize(0));
        Rows.await(
                "select 1 where not exists (select 1 from callback_delivery where supplier_order_id = cast(? as uuid))",
                ids[1]);
    }

    private static void awaitReceived(String supplier, String soId) {
        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> as(supplier)
                        .get("/api/supplier/orders?status=RECEIVED")
                        .then()
                        .statusCode(200)
                        .body("items.supplierOrderId", hasItem(soId)));
    }

    @Test
    void aReservedSupplierOrderReachesItsSupplierOnceAndNoOtherSupplier() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        String eventId = UUID.randomUUID().toString();
        String[] ids = reserved(supplier, eventId);
        TopicProbe.send(
                "StockReserved",
                ids[0],
                JSON.readTree(ContractCheck.example("StockReserved")).deepCopy().toString(),
                Map.of("id", eventId));

        awaitReceived(supplier, ids[1]);
        as(supplier)
                .get("/api/supplier/orders/" + ids[1])
                .then()
                .statusCode(200)
                .body("lines[0].sku", equalTo("MUG-BLK-12"))
                .body("shippingAddress.country", equalTo("GB"));
        as(supplier).get("/api/supplier/orders").then().body("items", hasSize(1));
        as("sup-other").get("/api/supplier/orders/" + ids[1]).then().statusCode(404);
    }

    @Test
    void shippingPublishesShippedOnceAndARepeatAnswersTheSameShipment() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        String[] ids = reserved(supplier, UUID.randomUUID().toString());
        awaitReceived(supplier, ids[1]);

        as(supplier)
                .post("/api/supplier/orders/" + ids[1] + "/accept")
                .then()
                .statusCode(200)
                .body("status", equalTo("ACCEPTED"));
        as(supplier)
                .post("/api/supplier/orders/" + ids[1] + "/accept")
                .then()
                .statusCode(200)
                .body("status", equalTo("ACCEPTED"));
        assertEquals(
                1,
                io.dropship.testkit.Outboxes.publishedContaining("OrderActivity", ids[0], "SUPPLIER_ACCEPTED"),
                "the order's timeline hears of the acceptance once");
        String body = "{\"carrier\":\"UPS\",\"trackingNumber\":\"1Z999AA10123456784\","
                + "\"trackingUrl\":\"https://www.ups.com/track?tracknum=1Z999AA10123456784\"}";
        String shipmentId = as(supplier)
                .body(body)
                .post("/api/supplier/orders/" + ids[1] + "/ship")
                .then()
                .statusCode(200)
                .body("carrier", equalTo("UPS"))
                .extract()
                .path("shipmentId");
        as(supplier)
                .body(body)
                .post("/api/supplier/orders/" + ids[1] + "/ship")
                .then()
                .statusCode(200)
                .body("shipmentId", equalTo(shipmentId));
        as(supplier)
                .body("{\"carrier\":\"DHL\",\"trackingNumber\":\"OTHER\"}")
                .post("/api/supplier/orders/" + ids[1] + "/ship")
                .then()
                .statusCode(409);

        ConsumerRecord<String, String> shipped =
                TopicProbe.await("Shipped", r -> ids[0].equals(r.key()), Duration.ofSeconds(60));
        ContractCheck.assertValid("Shipped", shipped.value());
        JsonNode event = JSON.readTree(shipped.value());
        assertEquals(ids[1], event.get("supplierOrderId").asText());
        assertEquals("1Z999AA10123456784", event.get("trackingNumber").asText());
        assertEquals("ret-4711", event.get("retailerId").asText());
        assertEquals(2, event.get("lines").get(0).get("quantity").asInt());
        assertEquals(1, Outboxes.published("Shipped", ids[0]), "one shipment, one Shipped");
        as(supplier).post("/api/supplier/orders/" + ids[1] + "/accept").then().statusCode(409);
    }

    @Test
    void aSupplierCannotShipAnotherSuppliersOrderOrShipWithoutTracking() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        String[] ids = reserved(supplier, UUID.randomUUID().toString());
        awaitReceived(supplier, ids[1]);

        as("sup-intruder")
                .body("{\"carrier\":\"UPS\",\"trackingNumber\":\"X\"}")
                .post("/api/supplier/orders/" + ids[1] + "/ship")
                .then()
                .statusCode(404);
        as(supplier)
                .body("{\"carrier\":\"UPS\"}")
                .post("/api/supplier/orders/" + ids[1] + "/ship")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("trackingNumber"));
        as(supplier)
                .body("{\"carrier\":\"UPS\",\"trackingNumber\":\"X\",\"trackingUrl\":\"javascript:alert(1)\"}")
                .post("/api/supplier/orders/" + ids[1] + "/ship")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("trackingUrl"));
        as(supplier).get("/api/supplier/orders/" + ids[1]).then().body("status", equalTo("RECEIVED"));
    }

    private static void cancel(String orderId, String soId, String supplier) {
        cancel(orderId, soId, supplier, UUID.randomUUID().toString());
    }

    private static void cancel(String orderId, String soId, String supplier, String eventId) {
        try {
            ObjectNode c = (ObjectNode) JSON.readTree(ContractCheck.example("SupplierOrderCancelled"));
            c.put("orderId", orderId)
                    .put("supplierOrderId", soId)
                    .put("supplierId", supplier)
                    .put("reason", "the store cancelled the order");
            ContractCheck.assertValid("SupplierOrderCancelled", c.toString());
            TopicProbe.send(
                    "SupplierOrderCancelled",
                    orderId,
                    c.toString(),
                    Map.of("id", eventId, "eventType", "SupplierOrderCancelled"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRejectionWithItsReasonPublishesSupplierOrderRejectedOnceAndEndsTheOrderForTheSupplier() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        String[] ids = reserved(supplier, UUID.randomUUID().toString());
        awaitReceived(supplier, ids[1]);

        as(supplier)
                .body("{}")
                .post("/api/supplier/orders/" + ids[1] + "/reject")
                .then()
                .statusCode(400);
        as("sup-intruder")
                .body("{\"reason\":\"no\"}")
                .post("/api/supplier/orders/" + ids[1] + "/reject")
                .then()
                .statusCode(404);
        as(supplier)
                .body("{\"reason\":\"damaged stock\"}")
                .post("/api/supplier/orders/" + ids[1] + "/reject")
                .then()
                .statusCode(200)
                .body("status", equalTo("REJECTED"))
                .body("reason", equalTo("damaged stock"));
        as(supplier)
                .body("{\"reason\":\"damaged stock\"}")
                .post("/api/supplier/orders/" + ids[1] + "/reject")
                .then()
                .statusCode(200)
                .body("status", equalTo("REJECTED"));
        as(supplier)
                .body("{\"carrier\":\"UPS\",\"trackingNumber\":\"X\"}")
                .post("/api/supplier/orders/" + ids[1] + "/ship")
                .then()
                .statusCode(409);

        ConsumerRecord<String, String> rejected =
                TopicProbe.await("SupplierOrderRejected", r -> ids[0].equals(r.key()), Duration.ofSeconds(60));
        ContractCheck.assertValid("SupplierOrderRejected", rejected.value());
        JsonNode event = JSON.readTree(rejected.value());
        assertEquals(ids[1], event.get("supplierOrderId").asText());
        assertEquals("damaged stock", event.get("reason").asText());
        assertEquals("MUG-BLK-12", event.at("/lines/0/sku").asText());
        assertEquals(1, Outboxes.published("SupplierOrderRejected", ids[0]));
    }

    @Test
    void aCancellationWithdrawsAReceivedOrderAndAsksTheSupplierAboutAnAcceptedOne() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        String[] received = reserved(supplier, UUID.randomUUID().toString());
        String[] accepted = reserved(supplier, UUID.randomUUID().toString());
        awaitReceived(supplier, received[1]);
        awaitReceived(supplier, accepted[1]);
        as(supplier)
                .post("/api/supplier/orders/" + accepted[1] + "/accept")
                .then()
                .statusCode(200);

        cancel(received[0], received[1], supplier);
        cancel(accepted[0], accepted[1], supplier);
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            as(supplier).get("/api/supplier/orders/" + received[1]).then().body("status", equalTo("CANCELLED"));
            as(supplier)
                    .get("/api/supplier/orders/" + accepted[1])
                    .then()
                    .body("status", equalTo("CANCEL_REQUESTED"))
                    .body("reason", equalTo("the store cancelled the order"));
        });
        as(supplier)
                .post("/api/supplier/orders/" + received[1] + "/cancel")
                .then()
                .statusCode(200)
                .body("status", equalTo("CANCELLED"));
        as(supplier)
                .post("/api/supplier/orders/" + accepted[1] + "/cancel")
                .then()
                .statusCode(200)
                .body("status", equalTo("CANCELLED"));
        as(supplier)
                .body("{\"carrier\":\"UPS\",\"trackingNumber\":\"X\"}")
                .post("/api/supplier/orders/" + accepted[1] + "/ship")
                .then()
                .statusCode(409);
    }

    @Test
    void aCancellationThatOvertakesTheReservationKeepsTheOrderFromEverReachingTheSupplier() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        String orderId = UUID.randomUUID().toString();
        String soId = UUID.randomUUID().toString();
        cancel(orderId, soId, supplier);
        Rows.await("select 1 from cancelled_supplier_order where supplier_order_id = cast(? as uuid)", soId);
        ObjectNode e = (ObjectNode) JSON.readTree(ContractCheck.example("StockReserved"));
        e.put("orderId", orderId).put("supplierOrderId", soId).put("supplierId", supplier);
        TopicProbe.send(
                "StockReserved",
                orderId,
                e.toString(),
                Map.of("id", UUID.randomUUID().toString(), "eventType", "StockReserved"));
        String[] later = reserved(supplier, UUID.randomUUID().toString());
        awaitReceived(supplier, later[1]);
        as(supplier).get("/api/supplier/orders/" + soId).then().statusCode(404);
    }

    @Test
    void aShippedOrderIsMarkedDeliveredOnceWithOneDeliveredAndNothingElseCanBe() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        String[] ids = reserved(supplier, UUID.randomUUID().toString());
        awaitReceived(supplier, ids[1]);
        as(supplier).post("/api/supplier/orders/" + ids[1] + "/deliver").then().statusCode(409);
        as(supplier)
                .body("{\"carrier\":\"UPS\",\"trackingNumber\":\"1ZD\"}")
                .post("/api/supplier/orders/" + ids[1] + "/ship")
                .then()
                .statusCode(200);
        as(supplier)
                .post("/api/supplier/orders/" + ids[1] + "/deliver")
                .then()
                .statusCode(200)
                .body("status", equalTo("DELIVERED"));
        as(supplier)
                .post("/api/supplier/orders/" + ids[1] + "/deliver")
                .then()
                .statusCode(200)
                .body("status", equalTo("DELIVERED"));

        ConsumerRecord<String, String> delivered =
                TopicProbe.await("Delivered", r -> ids[0].equals(r.key()), Duration.ofSeconds(60));
        ContractCheck.assertValid("Delivered", delivered.value());
        assertEquals(ids[1], TopicProbe.json(delivered).get("supplierOrderId").asText());
        assertEquals(1, Outboxes.published("Delivered", ids[0]));
    }

    /**
     * Reject and ship race on the same supplier order, many times over: each time exactly one wins, the other is
     * refused with a clear 409, and exactly one event (Shipped or SupplierOrderRejected) goes out for it.
     */
    @Test
    void aRejectionRacingAShipmentHasExactlyOneWinnerAndOneEvent() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        List<String[]> orders = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            orders.add(reserved(supplier, UUID.randomUUID().toString()));
        }
        for (String[] ids : orders) {
            awaitReceived(supplier, ids[1]);
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (String[] ids : orders) {
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                var rejected = pool.submit(() -> {
                    go.await();
                    return as(supplier)
                            .body("{\"reason\":\"out of glaze\"}")
                            .post("/api/supplier/orders/" + ids[1] + "/reject")
                            .then()
                            .extract()
                            .statusCode();
                });
                var shipped = pool.submit(() -> {
                    go.await();
                    return as(supplier)
                            .body("{\"carrier\":\"UPS\",\"trackingNumber\":\"1ZRACE\"}")
                            .post("/api/supplier/orders/" + ids[1] + "/ship")
                            .then()
                            .extract()
                            .statusCode();
                });
                go.countDown();
                List<Integer> answers = List.of(rejected.get(), shipped.get());
                assertEquals(
                        List.of(200, 409), answers.stream().sorted().toList(), "one winner, one refusal: " + answers);
            }
        } finally {
            pool.shutdownNow();
        }
        // The events as written, in the transaction of each outcome: the outbox rows of each order.
        for (String[] ids : orders) {
            String status = as(supplier)
                    .get("/api/supplier/orders/" + ids[1])
                    .then()
                    .extract()
                    .path("status");
            try (java.sql.Connection c = io.dropship.testkit.SharedInfrastructure.get()
                            .postgres()
                            .connect("app");
                    java.sql.PreparedStatement q =
                            c.prepareStatement("select aggregatetype from outbox_event where aggregateid = ?"
                                    + " and aggregatetype in ('Shipped', 'SupplierOrderRejected')")) {
                q.setString(1, ids[0]);
                List<String> events = new java.util.ArrayList<>();
                try (java.sql.ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        events.add(rs.getString(1));
                    }
                }
                assertEquals(
                        List.of(status.equals("SHIPPED") ? "Shipped" : "SupplierOrderRejected"),
                        events,
                        "order " + ids[0]);
            }
        }
    }

    /**
     * The supplier ships while the store's cancellation reaches fulfillment, several orders over: each order ends
     * either SHIPPED with one Shipped event (the cancellation came too late and changed nothing) or CANCELLED with the
     * shipment refused 409 and no Shipped event, never both.
     */
    @Test
    void aShipmentRacingTheStoresCancellationEitherShipsOrIsRefused() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        List<String[]> orders = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            orders.add(reserved(supplier, UUID.randomUUID().toString()));
        }
        for (String[] ids : orders) {
            awaitReceived(supplier, ids[1]);
        }
        for (String[] ids : orders) {
            String cancellation = UUID.randomUUID().toString();
            cancel(ids[0], ids[1], supplier, cancellation);
            int shipped = as(supplier)
                    .body("{\"carrier\":\"UPS\",\"trackingNumber\":\"1ZRACE\"}")
                    .post("/api/supplier/orders/" + ids[1] + "/ship")
                    .then()
                    .extract()
                    .statusCode();
            Outboxes.awaitConsumed("fulfillment-service.supplier-order-cancelled", cancellation);
            String status = as(supplier)
                    .get("/api/supplier/orders/" + ids[1])
                    .then()
                    .extract()
                    .path("status");
            if (shipped == 200) {
                assertEquals("SHIPPED", status, "shipped first: the late cancellation changes nothing");
                assertEquals(1, Outboxes.published("Shipped", ids[0]));
            } else {
                assertEquals(409, shipped);
                assertEquals("CANCELLED", status, "cancelled first: the shipment is refused");
                assertEquals(0, Outboxes.published("Shipped", ids[0]));
            }
        }
    }
}
