package io.dropship.inventory.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class ReservationIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static void stock(String supplier, String sku, int quantity) {
        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .contentType(ContentType.JSON)
                .body("{\"quantity\":" + quantity + "}")
                .put("/api/supplier/stock/" + sku)
                .then()
                .statusCode(200);
    }

    /** A SupplierOrderRouted as order-service publishes it: the contract's example with these lines. */
    private static String routed(String supplier, String orderId, String supplierOrderId, Map<String, Integer> lines)
            throws Exception {
        ObjectNode e = (ObjectNode) JSON.readTree(ContractCheck.example("SupplierOrderRouted"));
        e.put("orderId", orderId).put("supplierOrderId", supplierOrderId).put("supplierId", supplier);
        ArrayNode array = e.putArray("lines");
        int i = 0;
        for (Map.Entry<String, Integer> l : lines.entrySet()) {
            array.addObject()
                    .put("lineId", "L" + (++i))
                    .put("supplierProductId", supplier + ":" + l.getKey())
                    .put("sku", l.getKey())
                    .put("quantity", l.getValue())
                    .put("wholesalePrice", "5.00")
                    .put("retailPrice", "9.99");
        }
        String json = e.toString();
        ContractCheck.assertValid("SupplierOrderRouted", json);
        return json;
    }

    private static void send(String orderId, String json, String eventId) {
        TopicProbe.send(
                "SupplierOrderRouted", orderId, json, Map.of("id", eventId, "eventType", "SupplierOrderRouted"));
    }

    @Test
    void everyLineIsReservedAndTheSupplierOrderCarriedOnAsStockReserved() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        stock(supplier, "MUG", 10);
        stock(supplier, "TEE", 4);
        String orderId = UUID.randomUUID().toString();
        String soId = UUID.randomUUID().toString();

        send(
                orderId,
                routed(supplier, orderId, soId, Map.of("MUG", 2, "TEE", 4)),
                UUID.randomUUID().toString());

        ConsumerRecord<String, String> reserved =
                TopicProbe.await("StockReserved", r -> orderId.equals(r.key()), Duration.ofSeconds(60));
        ContractCheck.assertValid("StockReserved", reserved.value());
        assertEquals(soId, TopicProbe.json(reserved).get("supplierOrderId").asText());
        assertEquals(
                "Ada Lovelace",
                TopicProbe.json(reserved).get("shippingAddress").get("name").asText(),
                "the supplier order travels on");
        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .get("/api/supplier/stock/TEE")
                .then()
                .body("reserved", equalTo(4))
                .body("available", equalTo(0));
        List<ConsumerRecord<String, String>> changes = TopicProbe.collect(
                "StockChanged",
                r -> r.key().startsWith(supplier + ":") && r.value().contains("RESERVED"),
                2,
                Duration.ofSeconds(30));
        changes.forEach(c -> ContractCheck.assertValid("StockChanged", c.value()));
        assertEquals(
                Set.of(0, 8),
                Set.of(
                        TopicProbe.json(changes.get(0)).get("available").asInt(),
                        TopicProbe.json(changes.get(1)).get("available").asInt()));
    }

    @Test
    void shippedStockLeavesOnHandAndReservedTogether() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        stock(supplier, "MUG", 10);
        String orderId = UUID.randomUUID().toString();
        String soId = UUID.randomUUID().toString();
        send(
                orderId,
                routed(supplier, orderId, soId, Map.of("MUG", 3)),
                UUID.randomUUID().toString());
        TopicProbe.await("StockReserved", r -> orderId.equals(r.key()), Duration.ofSeconds(60));

        publish("Shipped", orderId, soId, supplier);

        awaitStock(supplier, "MUG", 7, 0);
        ConsumerRecord<String, String> change = TopicProbe.await(
                "StockChanged",
                r -> (supplier + ":MUG").equals(r.key()) && r.value().contains("SHIPPED"),
                Duration.ofSeconds(30));
        ContractCheck.assertValid("StockChanged", change.value());
    }

    @Test
    void returnedUnitsTheSupplierCanSellAgainGoBackOnHandOnceAndUnsellableOnesDoNot() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        stock(supplier, "MUG", 10);
        String orderId = UUID.randomUUID().toString();
        String soId = UUID.randomUUID().toString();
        send(
                orderId,
                routed(supplier, orderId, soId, Map.of("MUG", 3)),
                UUID.randomUUID().toString());
        TopicProbe.await("StockReserved", r -> orderId.equals(r.key()), Duration.ofSeconds(60));
        publish("Shipped", orderId, soId, supplier);
        awaitStock(supplier, "MUG", 7, 0);

        ObjectNode received = (ObjectNode) JSON.readTree(ContractCheck.example("ReturnUpdated"));
        received.put("orderId", orderId)
                .put("supplierOrderId", soId)
                .put("supplierId", supplier)
                .put("status", "RECEIVED")
                .put("sellable", true)
                .putArray("lines")
                .addObject()
                .put("lineId", "L1")
                .put("sku", "MUG")
                .put("quantity", 2);
        ContractCheck.assertValid("ReturnUpdated", received.toString());
        String eventId = UUID.randomUUID().toString();
        for (int i = 0; i < 2; i++) { // delivered twice: back once
            TopicProbe.send(
                    "ReturnUpdated", orderId, received.toString(), Map.of("id", eventId, "eventType", "ReturnUpdated"));
        }
        ObjectNode broken = received.deepCopy()
                .put("returnId", UUID.randomUUID().toString())
                .put("sellable", false);
        TopicProbe.send(
                "ReturnUpdated",
                orderId,
                broken.toString(),
                Map.of("id", UUID.randomUUID().toString(), "eventType", "ReturnUpdated"));
        awaitStock(supplier, "MUG", 9, 0);
        ConsumerRecord<String, String> change = TopicProbe.await(
                "StockChanged",
                r -> (supplier + ":MUG").equals(r.key()) && r.value().contains("RETURNED"),
                Duration.ofSeconds(30));
        ContractCheck.assertValid("StockChanged", change.value());
        // The redelivery and the unsellable return change nothing, then or later.
        await().during(Duration.ofMillis(1500))
                .atMost(Duration.ofMillis(6500))
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.supplier(supplier))
                        .get("/api/supplier/stock/MUG")
                        .then()
                        .body("onHand", equalTo(9))
                        .body("reserved", equalTo(0)));
    }

    @Test
    void whenOneLineIsShortNothingIsReservedAndTheShortLineIsNamed() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        stock(supplier, "MUG", 10);
        stock(supplier, "TEE", 1);
        String orderId = UUID.randomUUID().toString();

        send(
                orderId,
                routed(supplier, orderId, UUID.randomUUID().toString(), Map.of("MUG", 2, "TEE", 3, "GHOST", 1)),
                UUID.randomUUID().toString());

        ConsumerRecord<String, String> refused =
                TopicProbe.await("ReservationRefused", r -> orderId.equals(r.key()), Duration.ofSeconds(60));
        ContractCheck.assertValid("ReservationRefused", refused.value());
        JsonNode shortLines = TopicProbe.json(refused).get("shortLines");
        assertEquals(2, shortLines.size());
        Set<String> names = new HashSet<>();
        shortLines.forEach(
                l -> names.add(l.get("sku").asText() + "/" + l.get("available").asInt()));
        assertEquals(Set.of("TEE/1", "GHOST/0"), names);
        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .get("/api/supplier/stock/MUG")
                .then()
                .body("reserved", equalTo(0))
                .body("available", equalTo(10));
    }

    @Test
    void manyConcurrentOrdersForTheLastUnitsReserveExactlyThoseUnits() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        int unitsLeft = 3;
        int orders = 24;
        stock(supplier, "LAST", unitsLeft);
        List<String> orderIds = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            String orderId = UUID.randomUUID().toString();
            orderIds.add(orderId);
            send(
                    orderId,
                    routed(supplier, orderId, UUID.randomUUID().toString(), Map.of("LAST", 1)),
                    UUID.randomUUID().toString());
        }
        Set<String> ours = new HashSet<>(orderIds);

        List<ConsumerRecord<String, String>> reserved = TopicProbe.collectUntil(
                "StockReserved",
                r -> ours.contains(r.key()),
                found -> found.size() >= unitsLeft,
                Duration.ofSeconds(60));
        List<ConsumerRecord<String, String>> refused = TopicProbe.collect(
                "ReservationRefused", r -> ours.contains(r.key()), orders - unitsLeft, Duration.ofSeconds(60));

        assertEquals(orders - unitsLeft, refused.size());
        assertEquals(
                unitsLeft, Outboxes.published("StockReserved", ours), "exactly as many orders as there were units");
        assertTrue(reserved.size() >= unitsLeft);
        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .get("/api/supplier/stock/LAST")
                .then()
                .body("onHand", equalTo(unitsLeft))
                .body("reserved", equalTo(unitsLeft))
                .body("available", equalTo(0));
    }

    @Test
    void aRedeliveredSupplierOrderReservesOnce() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        stock(supplier, "MUG", 5);
        String orderId = UUID.randomUUID().toString();
        String eventId = UUID.randomUUID().toString();
        String json = routed(supplier, orderId, UUID.randomUUID().toString(), Map.of("MUG", 2));

        send(orderId, json, eventId);
        send(orderId, json, eventId);

        TopicProbe.await("StockReserved", r -> orderId.equals(r.key()), Duration.ofSeconds(60));
        await().atMost(10, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.supplier(supplier))
                        .get("/api/supplier/stock/MUG")
                        .then()
                        .body("reserved", equalTo(2)));
        String marker = UUID.randomUUID().toString();
        send(
                marker,
                routed(supplier, marker, UUID.randomUUID().toString(), Map.of("MUG", 1)),
                UUID.randomUUID().toString());
        TopicProbe.await("StockReserved", r -> marker.equals(r.key()), Duration.ofSeconds(60));
        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .get("/api/supplier/stock/MUG")
                .then()
                .body("reserved", equalTo(3));
    }

    private static void publish(String event, String orderId, String soId, String supplier) throws Exception {
        ObjectNode e = (ObjectNode) JSON.readTree(ContractCheck.example(event));
        e.put("orderId", orderId).put("supplierOrderId", soId).put("supplierId", supplier);
        ContractCheck.assertValid(event, e.toString());
        TopicProbe.send(
                event, orderId, e.toString(), Map.of("id", UUID.randomUUID().toString(), "eventType", event));
    }

    private static void awaitStock(String supplier, String sku, int onHand, int reserved) {
        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.supplier(supplier))
                        .get("/api/supplier/stock/" + sku)
                        .then()
                        .body("onHand", equalTo(onHand))
                        .body("reserved", equalTo(reserved)));
    }

    @jakarta.inject.Inject
    io.dropship.inventory.service.Reservations reservations;

    @jakarta.inject.Inject
    org.hibernate.reactive.mutiny.Mutiny.SessionFactory sessions;

    @jakarta.inject.Inject
    ObjectMapper mapper;

    @Test
    void aReservationThatArrivesWhileItsCancellationIsBeingWrittenReservesNothing() throws Exception {
        // The release (a cancellation read by another consumer) has recorded itself and found nothing reserved, but not
        // committed, when the reservation comes. Without the supplier order lock the reservation saw no release and
        // held the stock for ever for an order that will never ship.
        String supplier = "sup-" + UUID.randomUUID();
        stock(supplier, "MUG", 10);
        String orderId = UUID.randomUUID().toString();
        String soId = UUID.randomUUID().toString();
        JsonNode payload = JSON.readTree(routed(supplier, orderId, soId, Map.of("MUG", 4)));
        io.dropship.inventory.messaging.events.SupplierOrderRouted order =
                mapper.treeToValue(payload, io.dropship.inventory.messaging.events.SupplierOrderRouted.class);

        io.dropship.testkit.Interleaving.run(
                holdHere -> sessions.withTransaction(s -> reservations
                        .release(s, UUID.fromString(soId), "cancelled")
                        .chain(() -> holdHere)),
                () -> sessions.withTransaction(s -> reservations.reserve(
                        s, new io.dropship.inventory.messaging.events.SupplierOrderRouted.Raw(payload, order))));

        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .get("/api/supplier/stock/MUG")
                .then()
                .body("onHand", equalTo(10))
                .body("reserved", equalTo(0));
        assertEquals(0, Outboxes.published("StockReserved", orderId), "a released supplier order is never reserved");
    }

    @Test
    void aCancelledOrRejectedSupplierOrderGivesItsStockBackOnceWithStockChanged() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        stock(supplier, "MUG", 10);
        String orderId = UUID.randomUUID().toString();
        String cancelled = UUID.randomUUID().toString();
        String rejected = UUID.randomUUID().toString();
        send(
                orderId,
                routed(supplier, orderId, cancelled, Map.of("MUG", 3)),
                UUID.randomUUID().toString());
        send(
                orderId,
                routed(supplier, orderId, rejected, Map.of("MUG", 2)),
                UUID.randomUUID().toString());
        awaitStock(supplier, "MUG", 10, 5);

        publish("SupplierOrderCancelled", orderId, cancelled, supplier);
        publish("SupplierOrderCancelled", orderId, cancelled, supplier);
        awaitStock(supplier, "MUG", 10, 2);
        publish("SupplierOrderRejected", orderId, rejected, supplier);
        awaitStock(supplier, "MUG", 10, 0);

        ConsumerRecord<String, String> released = TopicProbe.await(
                "StockChanged",
                r -> r.key().equals(supplier + ":MUG")
                        && r.value().contains("RELEASED")
                        && r.value().contains(cancelled),
                Duration.ofSeconds(30));
        ContractCheck.assertValid("StockChanged", released.value());
        assertEquals(8, TopicProbe.json(released).get("available").asInt());
        assertEquals(
                2,
                Outboxes.publishedContaining("StockChanged", supplier + ":MUG", "RELEASED"),
                "one release each, the repeated cancellation changed nothing");
    }

    @Test
    void aCancellationThatOvertakesItsReservationMeansNothingIsEverReserved() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        stock(supplier, "MUG", 5);
        String orderId = UUID.randomUUID().toString();
        String soId = UUID.randomUUID().toString();
        publish("SupplierOrderCancelled", orderId, soId, supplier);
        Rows.await("select 1 from released_supplier_order where supplier_order_id = cast(? as uuid)", soId);
        String routedEvent = UUID.randomUUID().toString();
        send(orderId, routed(supplier, orderId, soId, Map.of("MUG", 5)), routedEvent);
        String other = UUID.randomUUID().toString();
        send(
                other,
                routed(supplier, other, UUID.randomUUID().toString(), Map.of("MUG", 1)),
                UUID.randomUUID().toString());
        TopicProbe.await("StockReserved", r -> other.equals(r.key()), Duration.ofSeconds(60));
        awaitStock(supplier, "MUG", 5, 1);
        Outboxes.awaitConsumed("inventory-service.supplier-order-routed", routedEvent);
        assertEquals(
                0, Outboxes.published("StockReserved", orderId), "nothing reserved for the cancelled supplier order");
    }

    @Test
    void stockShippedAfterItsReservationWasReleasedLeavesOnHandOnly() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        stock(supplier, "MUG", 10);
        String orderId = UUID.randomUUID().toString();
        String soId = UUID.randomUUID().toString();
        send(
                orderId,
                routed(supplier, orderId, soId, Map.of("MUG", 4)),
                UUID.randomUUID().toString());
        awaitStock(supplier, "MUG", 10, 4);
        publish("SupplierOrderCancelled", orderId, soId, supplier);
        awaitStock(supplier, "MUG", 10, 0);
        publish("Shipped", orderId, soId, supplier);
        awaitStock(supplier, "MUG", 6, 0);
    }
}
