package io.dropship.order.messaging;

import static io.dropship.testkit.Events.example;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.contracts.ContractCheck;
import io.dropship.testkit.Events;
import io.dropship.testkit.Rows;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the order-service tests share: catalog events, orders and the other services' answers fed to the bus as those
 * services publish them, and waits for what order-service makes of them. Each test instance is a retailer of its own.
 */
abstract class OrderFlow {

    protected static final ObjectMapper JSON = new ObjectMapper();

    protected final String run = UUID.randomUUID().toString().substring(0, 8);

    protected final String retailer = "ret-" + run;

    protected static String lastEventId;

    /** Publishes a valid event ({@link Events#publish}) and keeps its id in {@link #lastEventId}. */
    protected static void publish(String topic, String key, ObjectNode payload) {
        lastEventId = Events.publish(topic, key, payload);
    }

    protected String supplier(String name, String status, String region) {
        String id = "sup-" + name + "-" + run;
        ObjectNode e = example("SupplierChanged")
                .put("supplierId", id)
                .put("status", status)
                .put("shipFromRegion", region)
                .put("changedAt", Instant.now().toString());
        publish("SupplierChanged", id, e);
        Rows.await("select 1 from supplier_view where supplier_id = ? and status = '" + status + "'", id);
        return id;
    }

    protected void product(String supplierId, String sku, String wholesale, String shipping) {
        ObjectNode e = example("SupplierProductChanged")
                .put("supplierProductId", supplierId + ":" + sku)
                .put("supplierId", supplierId)
                .put("sku", sku)
                .put("wholesalePrice", wholesale)
                .put("shippingCost", shipping)
                .put("changedAt", Instant.now().toString());
        publish("SupplierProductChanged", supplierId + ":" + sku, e);
        Rows.await("select 1 from supplier_product_view where supplier_id || ':' || sku = ?", supplierId + ":" + sku);
    }

    protected void listing(String storeSku, String... offers) {
        String id = "lst-" + storeSku + "-" + run;
        ObjectNode e = example("ListingChanged")
                .put("listingId", id)
                .put("retailerId", retailer)
                .put("sku", storeSku)
                .put("changedAt", Instant.now().toString());
        ArrayNode list = e.putArray("offers");
        for (int i = 0; i < offers.length; i++) {
            String[] parts = offers[i].split(":", 2);
            list.addObject()
                    .put("supplierProductId", offers[i])
                    .put("supplierId", parts[0])
                    .put("sku", parts[1])
                    .put("priority", i);
        }
        publish("ListingChanged", id, e);
        Rows.await("select 1 from listing_view where listing_id = ?", id);
    }

    /** Places an order whose lines name only the store SKUs, as a store does before mapping. */
    protected String place(String... skuTimesQty) {
        return placeIn("USD", skuTimesQty);
    }

    protected String placeIn(String currency, String... skuTimesQty) {
        return placeIn(currency, (Instant) null, skuTimesQty);
    }

    /**
     * Places an order as the gateway's relay publishes it: {@code receivedAt}, when given, is the event's
     * {@code occurredAt} header (the outbox row's time, when the webhook was taken in).
     */
    protected String placeIn(String currency, Instant receivedAt, String... skuTimesQty) {
        String orderId = UUID.randomUUID().toString();
        ObjectNode e = example("OrderPlaced")
                .put("orderId", orderId)
                .put("retailerId", retailer)
                .put("currency", currency)
                .put("orderNumber", "DS-" + orderId.substring(0, 8));
        ArrayNode lines = e.putArray("lines");
        for (int i = 0; i < skuTimesQty.length; i++) {
            String[] p = skuTimesQty[i].split("x");
            lines.addObject()
                    .put("lineId", "L" + (i + 1))
                    .putNull("listingId")
                    .put("sku", p[0])
                    .put("quantity", Integer.parseInt(p[1]))
                    .put("retailPrice", "19.99");
        }
        if (receivedAt == null) {
            publish("OrderPlaced", orderId, e);
        } else {
            ContractCheck.assertValid("OrderPlaced", e.toString());
            lastEventId = UUID.randomUUID().toString();
            TopicProbe.send(
                    "OrderPlaced",
                    orderId,
                    e.toString(),
                    Map.of("id", lastEventId, "eventType", "OrderPlaced", "occurredAt", receivedAt.toString()));
        }
        return orderId;
    }

    protected JsonNode awaitOrder(String orderId, String status) {
        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.retailer(retailer))
                        .get("/api/orders/" + orderId + "/status")
                        .then()
                        .statusCode(200)
                        .body("status", equalTo(status)));
        try {
            return JSON.readTree(given().auth()
                    .oauth2(TestTokens.retailer(retailer))
                    .get("/api/orders/" + orderId)
                    .asString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    protected static List<ConsumerRecord<String, String>> routed(String orderId, int expected) {
        List<ConsumerRecord<String, String>> events = TopicProbe.collect(
                "SupplierOrderRouted", r -> orderId.equals(r.key()), expected, Duration.ofSeconds(30));
        events.forEach(r -> {
            ContractCheck.assertValid("SupplierOrderRouted", r.value());
            // Supplier order ids are ordered by time (TimeOrderedIds): they key rows in every service's indexes.
            String id;
            try {
                id = JSON.readTree(r.value()).get("supplierOrderId").asText();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            if (UUID.fromString(id).version() != 7) {
                throw new AssertionError("supplier order id " + id + " is not a version 7 UUID");
            }
        });
        return events;
    }

    /** The mug: supplier a is the primary (cheaper), supplier b the backup. */
    protected String[] mugWithABackupSupplier() {
        String a = supplier("a", "ACTIVE", "US");
        String b = supplier("b", "ACTIVE", "US");
        product(a, "MUG", "6.00", "3.00");
        product(b, "MUG2", "6.50", "3.00");
        listing("STORE-MUG", a + ":MUG", b + ":MUG2");
        return new String[] {a, b};
    }

    /** Inventory's answer to a routed supplier order: StockReserved, the order carried on; waits until order-service has it. */
    protected void reserve(JsonNode routedEvent) {
        String orderId = routedEvent.get("orderId").asText();
        ObjectNode reserved = routedEvent.deepCopy();
        reserved.remove("routedAt");
        reserved.put("reservedAt", Instant.now().toString());
        publish("StockReserved", orderId, reserved);
        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.retailer(retailer))
                        .get("/api/orders/" + orderId + "/status")
                        .then()
                        .body(
                                "supplierOrders.find { it.supplierOrderId == '"
                                        + routedEvent.get("supplierOrderId").asText() + "' }.status",
                                equalTo("RESERVED")));
    }

    protected static void deliver(JsonNode supplierOrder) {
        ObjectNode delivered = example("Delivered")
                .put("supplierOrderId", supplierOrder.get("supplierOrderId").asText())
                .put("orderId", supplierOrder.get("orderId").asText())
                .put("supplierId", supplierOrder.get("supplierId").asText())
                .put("deliveredAt", Instant.now().toString());
        publish("Delivered", supplierOrder.get("orderId").asText(), delivered);
    }

    protected static void ship(JsonNode supplierOrder, String trackingNumber) {
        ObjectNode shipped = example("Shipped")
                .put("shipmentId", UUID.randomUUID().toString())
                .put("supplierOrderId", supplierOrder.get("supplierOrderId").asText())
                .put("orderId", supplierOrder.get("orderId").asText())
                .put("supplierId", supplierOrder.get("supplierId").asText())
                .put("trackingNumber", trackingNumber)
                .put("shippedAt", Instant.now().toString());
        publish("Shipped", supplierOrder.get("orderId").asText(), shipped);
    }

    protected static void refuse(JsonNode supplierOrder, int available) {
        ObjectNode refused = example("ReservationRefused")
                .put("supplierOrderId", supplierOrder.get("supplierOrderId").asText())
                .put("orderId", supplierOrder.get("orderId").asText())
                .put("supplierId", supplierOrder.get("supplierId").asText())
                .put("refusedAt", Instant.now().toString());
        ArrayNode lines = refused.putArray("shortLines");
        for (JsonNode l : supplierOrder.get("lines")) {
            lines.addObject()
                    .put("lineId", l.get("lineId").asText())
                    .put("sku", l.get("sku").asText())
                    .put("requested", l.get("quantity").asInt())
                    .put("available", available);
        }
        publish("ReservationRefused", supplierOrder.get("orderId").asText(), refused);
    }

    protected static void reject(JsonNode supplierOrder) {
        ObjectNode rejected = example("SupplierOrderRejected")
                .put("supplierOrderId", supplierOrder.get("supplierOrderId").asText())
                .put("orderId", supplierOrder.get("orderId").asText())
                .put("supplierId", supplierOrder.get("supplierId").asText())
                .put("reason", "damaged stock")
                .put("rejectedAt", Instant.now().toString());
        ArrayNode lines = rejected.putArray("lines");
        for (JsonNode l : supplierOrder.get("lines")) {
            lines.addObject()
                    .put("lineId", l.get("lineId").asText())
                    .put("sku", l.get("sku").asText())
                    .put("quantity", l.get("quantity").asInt());
        }
        publish("SupplierOrderRejected", supplierOrder.get("orderId").asText(), rejected);
    }
}
