package io.dropship.order.messaging;

import static io.dropship.testkit.Events.example;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.contracts.ContractCheck;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.Outboxes;
import io.dropship.testkit.Rows;
import io.dropship.testkit.SharedInfrastructure;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Routing from the catalog projection: each catalog event is fed as catalog-service publishes it. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class RoutingIT extends OrderFlow {

    /** Supplier a sells the tee, supplier b the cap, each listed alone: an order for both has to split. */
    private String[] teeAndCapFromTwoSuppliers() {
        String a = supplier("a", "ACTIVE", "US");
        String b = supplier("b", "ACTIVE", "US");
        product(a, "TEE", "8.00", "2.00");
        product(b, "CAP", "4.00", "1.00");
        listing("STORE-TEE", a + ":TEE");
        listing("STORE-CAP", b + ":CAP");
        return new String[] {a, b};
    }

    /** A tee and a cap from their two suppliers, routed; answers the order id. */
    private String placeSplitOrder() {
        teeAndCapFromTwoSuppliers();
        String orderId = place("STORE-TEEx1", "STORE-CAPx1");
        awaitOrder(orderId, "ROUTED");
        return orderId;
    }

    @Test
    void routesTheWholeOrderToOneSupplierWhenItCanShipEveryLine() {
        String a = supplier("a", "ACTIVE", "US-CA");
        String b = supplier("b", "ACTIVE", "US-NY");
        product(a, "MUG", "6.20", "3.50");
        product(a, "TEE", "8.00", "2.00");
        product(b, "MUG2", "5.00", "3.50");
        listing("STORE-MUG", a + ":MUG", b + ":MUG2");
        listing("STORE-TEE", a + ":TEE");

        given().auth()
                .oauth2(TestTokens.support())
                .get("/api/routing/listings/lst-STORE-MUG-" + run)
                .then()
                .statusCode(200)
                .body("offers.supplierId", equalTo(List.of(a, b)))
                .body("offers[1].wholesalePrice", equalTo("5.00"))
                .body("offers[0].supplierStatus", equalTo("ACTIVE"));
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/routing/listings/lst-STORE-MUG-" + run)
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.support())
                .get("/api/routing/listings/nope")
                .then()
                .statusCode(404);

        String orderId = place("STORE-MUGx2", "STORE-TEEx1");

        JsonNode order = awaitOrder(orderId, "ROUTED");
        assertEquals(1, order.get("supplierOrders").size(), "B is cheaper for the mug, but only A ships both");
        assertEquals(a, order.get("supplierOrders").get(0).get("supplierId").asText());
        JsonNode event = TopicProbe.json(routed(orderId, 1).get(0));
        assertEquals(a, event.get("supplierId").asText());
        assertEquals("20.40", event.get("wholesaleTotal").asText());
        assertEquals("9.00", event.get("shippingCost").asText());
        assertEquals(
                a + ":MUG", event.get("lines").get(0).get("supplierProductId").asText());
        assertEquals(1, event.get("attempt").asInt());
    }

    @Test
    void splitsTheOrderIntoOneSupplierOrderPerSupplierWhenNoneShipsEverything() {
        String[] ab = teeAndCapFromTwoSuppliers();
        String a = ab[0];
        String b = ab[1];

        String orderId = place("STORE-TEEx1", "STORE-CAPx3");

        JsonNode order = awaitOrder(orderId, "ROUTED");
        assertEquals(2, order.get("supplierOrders").size());
        List<ConsumerRecord<String, String>> events = routed(orderId, 2);
        assertEquals(2, events.size());
        assertEquals(
                List.of(a, b),
                events.stream()
                        .map(r -> TopicProbe.json(r).get("supplierId").asText())
                        .sorted()
                        .toList());
    }

    /** The bag's only supplier is suspended after listing it: an order for the bag is held. Answers the order id. */
    private String bagOrderHeldBySuspendedSupplier() {
        String c = supplier("c", "ACTIVE", "US");
        product(c, "BAG", "3.00", "1.00");
        listing("STORE-BAG", c + ":BAG");
        supplier("c", "SUSPENDED", "US");
        String orderId = place("STORE-BAGx1");
        awaitOrder(orderId, "ON_HOLD");
        return orderId;
    }

    @Test
    void anOrderWhoseOnlySupplierIsSuspendedIsHeldAndNothingIsRouted() {
        String orderId = bagOrderHeldBySuspendedSupplier();

        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/orders/" + orderId + "/status")
                .then()
                .body("holdReason", containsString("line L1 (SKU STORE-BAG) has no active supplier offer left"))
                .body("supplierOrders", hasSize(0));
        assertEquals(0, routed(orderId, 1).size());
    }

    private static void backdateHold(String orderId, int days) {
        try (Connection c = SharedInfrastructure.get().postgres().connect("app");
                PreparedStatement s =
                        c.prepareStatement("update customer_order set held_at = now() - make_interval(days => ?)"
                                + " where id = cast(? as uuid)")) {
            s.setInt(1, days);
            s.setString(2, orderId);
            assertEquals(1, s.executeUpdate());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aHeldOrderOlderThanTheRetailersSettingIsCancelledAtItsStoreTooWithTheRetailersWordsAndRecorded() {
        String settings = "/api/retailers/" + retailer + "/order-settings";
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get(settings)
                .then()
                .statusCode(200)
                .body("cancelHeldAfterDays", nullValue())
                .body("customerMessage", containsString("refunded"));
        String young = bagOrderHeldBySuspendedSupplier();
        String old = place("STORE-BAGx2");
        awaitOrder(old, "ON_HOLD");
        assertEquals(
                1,
                Outboxes.publishedContaining("OrderStatusChanged", old, "\"status\": \"ON_HOLD\""),
                "going on hold is announced");
        backdateHold(old, 4);
        backdateHold(young, 2);

        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType("application/json")
                .body(Map.of(
                        "cancelHeldAfterDays",
                        3,
                        "customerMessage",
                        "Sorry, that bag sold out. Your money is on its way back."))
                .put(settings)
                .then()
                .statusCode(200)
                .body("cancelHeldAfterDays", equalTo(3))
                .body("updatedBy", containsString(retailer));

        JsonNode cancelled = awaitOrder(old, "CANCELLED");
        assertTrue(
                cancelled
                        .get("cancellationReason")
                        .asText()
                        .startsWith("held longer than the retailer's 3 days: line L1"),
                cancelled.toString());
        JsonNode event = TopicProbe.json(TopicProbe.collect(
                        "OrderStatusChanged",
                        r -> old.equals(r.key()) && r.value().contains("CANCELLED"),
                        1,
                        Duration.ofSeconds(20))
                .get(0));
        ContractCheck.assertValid("OrderStatusChanged", event.toString());
        assertEquals("EXPIRY", event.get("source").asText());
        assertEquals("ON_HOLD", event.get("previousStatus").asText());
        assertTrue(event.get("tellStore").asBoolean());
        assertEquals(
                "Sorry, that bag sold out. Your money is on its way back.",
                event.get("customerMessage").asText());
        given().auth()
                .oauth2(TestTokens.support())
                .get("/api/orders/" + old + "/actions")
                .then()
                .statusCode(200)
                .body("items[0].action", equalTo("CANCEL"))
                .body("items[0].actorRole", equalTo("EXPIRY"))
                .body("items[0].reason", containsString("3 days"));
        // The order held two days stays held, and the expiry cancels each order once.
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/orders/" + young + "/status")
                .then()
                .body("status", equalTo("ON_HOLD"));
        assertEquals(1, Outboxes.publishedContaining("OrderStatusChanged", old, "EXPIRY"));
    }

    @Test
    void orderSettingsAreTheRetailersOwnAndCheckedAndSupportOnlyReadsThem() {
        String settings = "/api/retailers/" + retailer + "/order-settings";
        given().auth()
                .oauth2(TestTokens.retailer("ret-other-" + run))
                .get(settings)
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestTokens.retailer("ret-other-" + run))
                .contentType("application/json")
                .body(Map.of("cancelHeldAfterDays", 3))
                .put(settings)
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType("application/json")
                .body(Map.of("cancelHeldAfterDays", 0))
                .put(settings)
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType("application/json")
                .body(Map.of("cancelHeldAfterDays", 61))
                .put(settings)
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType("application/json")
                .body(Map.of("customerMessage", "x".repeat(501)))
                .put(settings)
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType("application/json")
                .body("{\"cancelHeldAfterDays\": ")
                .put(settings)
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.support())
                .contentType("application/json")
                .body(Map.of("cancelHeldAfterDays", 5))
                .put(settings)
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.support())
                .get(settings)
                .then()
                .statusCode(200)
                .body("cancelHeldAfterDays", nullValue());
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType("application/json")
                .body(Map.of("cancelHeldAfterDays", 7))
                .put(settings)
                .then()
                .statusCode(200)
                .body("cancelHeldAfterDays", equalTo(7));
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType("application/json")
                .body("{\"cancelHeldAfterDays\": null}")
                .put(settings)
                .then()
                .statusCode(200)
                .body("cancelHeldAfterDays", nullValue());
    }

    @Test
    void anOrderInAnotherCurrencyThanItsOffersIsHeldNotChargedInTheWrongCurrency() {
        String a = supplier("a", "ACTIVE", "US");
        product(a, "LAMP", "18.50", "6.00");
        listing("STORE-LAMP", a + ":LAMP");

        String orderId = placeIn("INR", "STORE-LAMPx1");

        awaitOrder(orderId, "ON_HOLD");
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/orders/" + orderId + "/status")
                .then()
                .body("holdReason", containsString("line L1 (SKU STORE-LAMP) has no supplier offer priced in INR"))
                .body("holdReason", containsString("(only in USD)"))
                .body("supplierOrders", hasSize(0));
        assertEquals(0, routed(orderId, 1).size());
    }

    @Test
    void theOrderShowsWhyItsPaymentIsHeldAndThatItWentThroughWhateverOrderTheNewsArrivesIn() {
        String a = supplier("a", "ACTIVE", "US");
        product(a, "PEN", "1.00", "1.00");
        listing("STORE-PEN", a + ":PEN");
        String orderId = place("STORE-PENx1");
        awaitOrder(orderId, "ROUTED");
        String so = TopicProbe.json(routed(orderId, 1).get(0))
                .get("supplierOrderId")
                .asText();
        Instant declined = Instant.now();

        ObjectNode failed = example("PaymentFailed")
                .put("paymentId", orderId)
                .put("orderId", orderId)
                .put("retailerId", retailer)
                .put("reason", "Stripe: Your card has insufficient funds.")
                .put("declineCode", "insufficient_funds")
                .put("failedAt", declined.toString());
        failed.putArray("supplierOrderIds").add(so);
        publish("PaymentFailed", orderId, failed);
        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.retailer(retailer))
                        .get("/api/orders/" + orderId)
                        .then()
                        .statusCode(200)
                        .body("payments[0].status", equalTo("HELD"))
                        .body("payments[0].problem", containsString("insufficient funds"))
                        .body("payments[0].declineCode", equalTo("insufficient_funds")));

        ObjectNode cleared = example("PaymentCleared")
                .put("paymentId", orderId)
                .put("orderId", orderId)
                .put("retailerId", retailer)
                .put("basis", "CHARGED")
                .put("clearedAt", declined.plusSeconds(60).toString());
        cleared.putArray("supplierOrderIds").add(so);
        publish("PaymentCleared", orderId, cleared);
        // An earlier failure delivered late does not undo a charge that went through.
        publish(
                "PaymentFailed",
                orderId,
                failed.put("failedAt", declined.minusSeconds(60).toString()));
        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.retailer(retailer))
                        .get("/api/orders/" + orderId + "/status")
                        .then()
                        .statusCode(200)
                        .body("payments[0].status", equalTo("CHARGED"))
                        .body("payments[0].problem", org.hamcrest.Matchers.nullValue()));
        Outboxes.awaitConsumed("order-service.payment-failed", lastEventId);
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/orders/" + orderId)
                .then()
                .body("payments", hasSize(1))
                .body("payments[0].status", equalTo("CHARGED"));
    }

    @Test
    void aRefusedReservationReroutesToTheBackupAndAnotherRefusalHoldsTheOrder() {
        String[] ab = mugWithABackupSupplier();
        String a = ab[0];
        String b = ab[1];
        String orderId = place("STORE-MUGx2");
        awaitOrder(orderId, "ROUTED");
        JsonNode first = TopicProbe.json(routed(orderId, 1).get(0));
        assertEquals(a, first.get("supplierId").asText());

        refuse(first, 1);

        List<ConsumerRecord<String, String>> events = routed(orderId, 2);
        JsonNode second = TopicProbe.json(events.get(1));
        assertEquals(b, second.get("supplierId").asText());
        assertEquals(2, second.get("attempt").asInt());

        refuse(second, 0);

        awaitOrder(orderId, "ON_HOLD");
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/orders/" + orderId + "/status")
                .then()
                .body("holdReason", containsString("has no active supplier offer left with stock"))
                .body("supplierOrders.status", equalTo(List.of("REFUSED", "REFUSED")));
    }

    /** Inventory's StockChanged for a supplier product, as inventory-service publishes it. */
    private static void stock(String supplierId, String sku, int available) {
        ObjectNode e = example("StockChanged")
                .put("supplierProductId", supplierId + ":" + sku)
                .put("supplierId", supplierId)
                .put("sku", sku)
                .put("onHand", available)
                .put("reserved", 0)
                .put("available", available)
                .put("shown", available)
                .put("reason", "SUPPLIER_UPDATE")
                .putNull("supplierOrderId")
                .put("changedAt", Instant.now().toString());
        publish("StockChanged", supplierId + ":" + sku, e);
    }

    @Test
    void aHeldOrderIsRoutedOnceItsListingGainsAnOffer() {
        String a = supplier("a", "ACTIVE", "US");
        product(a, "HAT", "5.00", "1.00");
        String orderId = place("STORE-HATx1");
        awaitOrder(orderId, "ON_HOLD");

        listing("STORE-HAT", a + ":HAT");

        awaitOrder(orderId, "ROUTED");
        JsonNode event = TopicProbe.json(routed(orderId, 1).get(0));
        assertEquals(a, event.get("supplierId").asText());
        assertEquals(1, event.get("attempt").asInt());
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/orders/" + orderId + "/status")
                .then()
                .body("holdReason", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void aBurstOfCatalogChangesWithLateVersionsRepeatsAndPoisonKeepsTheNewestAndFreesHeldOrders() {
        String s = supplier("burst", "ACTIVE", "US");
        Instant t0 = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        // An order held for want of a listing, and one whose listing's only product is inactive.
        product(s, "P-HELD", "5.00", "1.00");
        ObjectNode inactive = discontinued(s, "P-HELD", Instant.now().plusSeconds(5));
        publish("SupplierProductChanged", s + ":P-HELD", inactive);
        Rows.await("select 1 from supplier_product_view where supplier_id = ? and status = 'DISCONTINUED'", s);
        listing("STORE-P-HELD", s + ":P-HELD");
        String heldForProduct = place("STORE-P-HELDx1");
        String heldForListing = place("STORE-B-7x1");
        awaitOrder(heldForProduct, "ON_HOLD");
        awaitOrder(heldForListing, "ON_HOLD");

        int n = 40;
        for (int i = 0; i < n; i++) {
            String sku = "B-" + i;
            for (String[] v : i % 2 == 0
                    ? new String[][] {{"10.00", "2"}, {"5.00", "1"}}
                    : i % 3 == 0
                            ? new String[][] {{"10.00", "2"}, {"12.00", "3"}, {"12.00", "3"}}
                            : new String[][] {{"10.00", "2"}}) {
                publish(
                        "SupplierProductChanged",
                        s + ":" + sku,
                        example("SupplierProductChanged")
                                .put("supplierProductId", s + ":" + sku)
                                .put("supplierId", s)
                                .put("sku", sku)
                                .put("wholesalePrice", v[0])
                                .put("shippingCost", "1.00")
                                .put(
                                        "changedAt",
                                        t0.plusSeconds(Long.parseLong(v[1])).toString()));
            }
            ObjectNode l = example("ListingChanged")
                    .put("listingId", "lst-B-" + i + "-" + run)
                    .put("retailerId", retailer)
                    .put("sku", "STORE-B-" + i)
                    .put("changedAt", t0.plusSeconds(2).toString());
            l.putArray("offers")
                    .addObject()
                    .put("supplierProductId", s + ":" + sku)
                    .put("supplierId", s)
                    .put("sku", sku)
                    .put("priority", 0);
            publish("ListingChanged", "lst-B-" + i + "-" + run, l);
            if (i % 2 == 0) {
                // An older version of the listing, arriving late: archived then, it must not undo the newer one.
                publish(
                        "ListingChanged",
                        "lst-B-" + i + "-" + run,
                        l.deepCopy().put("status", "ARCHIVED").put("changedAt", t0.toString()));
            }
        }
        // The held product becomes active in the same stream.
        publish(
                "SupplierProductChanged",
                s + ":P-HELD",
                inactive.deepCopy()
                        .put("status", "ACTIVE")
                        .put("changedAt", Instant.now().plusSeconds(6).toString()));
        String noPrice = UUID.randomUUID().toString();
        TopicProbe.send(
                "SupplierProductChanged",
                s + ":NO-PRICE",
                "{\"supplierId\":\"" + s + "\",\"sku\":\"NO-PRICE\",\"changedAt\":\"" + t0 + "\"}",
                Map.of("id", noPrice, "eventType", "SupplierProductChanged"));
        String garbled = UUID.randomUUID().toString();
        TopicProbe.send(
                "ListingChanged",
                "lst-garbled-" + run,
                "{\"listingId\":",
                Map.of("id", garbled, "eventType", "ListingChanged"));

        await().atMost(30, TimeUnit.SECONDS)
                .until(() -> Rows.count(
                                        "select count(*) from listing_view where retailer_id = ? and sku like 'STORE-B-%' and status = 'ACTIVE'",
                                        retailer)
                                == n
                        && Rows.count(
                                        "select count(*) from supplier_product_view where supplier_id = ? and sku like 'B-%'"
                                                + " and changed_at > ?",
                                        s, java.sql.Timestamp.from(t0.plusSeconds(1)))
                                == n);
        for (int i = 0; i < n; i++) {
            String expected = i % 2 == 0 ? "10.00" : i % 3 == 0 ? "12.00" : "10.00";
            assertEquals(
                    expected,
                    String.valueOf(Rows.value(
                            "select wholesale_price::text from supplier_product_view where supplier_id = ? and sku = ?",
                            s,
                            "B-" + i)),
                    "B-" + i);
        }
        awaitOrder(heldForProduct, "ROUTED");
        awaitOrder(heldForListing, "ROUTED");
        for (String[] dead : new String[][] {
            {"SupplierProductChanged.order-service.DLT", noPrice, "lacks a field"},
            {"ListingChanged.order-service.DLT", garbled, "cannot be read"}
        }) {
            ConsumerRecord<String, String> letter = TopicProbe.await(
                    dead[0], r -> TopicProbe.header(r, "id").orElse("").equals(dead[1]), Duration.ofSeconds(30));
            String reason = TopicProbe.header(letter, "dead-letter-reason").orElseThrow();
            assertTrue(reason.contains(dead[2]), reason);
        }
    }

    @Test
    void anImportsBatchOfProductsKeepsEachNewestFreesHeldOrdersAndAnEmptyBatchIsDeadLettered() {
        String s = supplier("bulk", "ACTIVE", "US");
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        product(s, "K-KEPT", "5.00", "1.00");
        ObjectNode discontinued = discontinued(s, "K-1", now);
        publish("SupplierProductChanged", s + ":K-1", discontinued);
        Rows.await("select 1 from supplier_product_view where supplier_id = ? and status = 'DISCONTINUED'", s);
        listing("STORE-K-1", s + ":K-1");
        String held = place("STORE-K-1x1");
        awaitOrder(held, "ON_HOLD");

        // An import's event: K-1 active again, K-2 new, and K-KEPT as it was before the change the view holds.
        ObjectNode batch = example("SupplierProductsChanged").put("supplierId", s);
        ArrayNode products = batch.putArray("products");
        products.add(changed(discontinued, "K-1", "5.00", now.plusSeconds(5)));
        products.add(changed(discontinued, "K-2", "7.00", now.plusSeconds(5)));
        products.add(changed(discontinued, "K-KEPT", "4.00", now.minusSeconds(60)));
        ContractCheck.assertValid("SupplierProductsChanged", batch.toString());
        String empty = UUID.randomUUID().toString();
        TopicProbe.send(
                "SupplierProductChanged",
                s,
                "{\"supplierId\":\"" + s + "\",\"products\":[],\"changedAt\":\"" + now + "\"}",
                Map.of("id", empty, "eventType", "SupplierProductsChanged"));
        TopicProbe.send(
                "SupplierProductChanged",
                s,
                batch.toString(),
                Map.of("id", UUID.randomUUID().toString(), "eventType", "SupplierProductsChanged"));

        awaitOrder(held, "ROUTED");
        Rows.await(
                "select 1 from supplier_product_view where supplier_id = ? and sku = 'K-2' and status = 'ACTIVE'", s);
        // K-2's row holds what its event said, the instant to the millisecond it was sent with (the batch's columns
        // go to the statement as arrays).
        assertEquals(
                1L,
                Rows.count(
                        "select count(*) from supplier_product_view where supplier_id = ? and sku = 'K-2'"
                                + " and wholesale_price = 7.00 and shipping_cost = 3.50 and currency = 'USD'"
                                + " and changed_at = ?",
                        s,
                        java.sql.Timestamp.from(now.plusSeconds(5))));
        assertEquals(
                "5.00",
                String.valueOf(Rows.value(
                        "select wholesale_price::text from supplier_product_view where supplier_id = ? and sku = ?",
                        s,
                        "K-KEPT")));
        ConsumerRecord<String, String> letter = TopicProbe.await(
                "SupplierProductChanged.order-service.DLT",
                r -> TopicProbe.header(r, "id").orElse("").equals(empty),
                Duration.ofSeconds(30));
        String reason = TopicProbe.header(letter, "dead-letter-reason").orElseThrow();
        assertTrue(reason.contains("without events"), reason);
    }

    /** A supplier product's event: discontinued since then. */
    private static ObjectNode discontinued(String supplier, String sku, Instant at) {
        return example("SupplierProductChanged")
                .put("supplierProductId", supplier + ":" + sku)
                .put("supplierId", supplier)
                .put("sku", sku)
                .put("status", "DISCONTINUED")
                .put("changedAt", at.toString());
    }

    /** The product's event for another SKU of its supplier, active at this price since then. */
    private static ObjectNode changed(ObjectNode product, String sku, String price, Instant at) {
        return product.deepCopy()
                .put("supplierProductId", product.get("supplierId").asText() + ":" + sku)
                .put("sku", sku)
                .put("status", "ACTIVE")
                .put("wholesalePrice", price)
                .put("changedAt", at.toString());
    }

    @Test
    void aHeldOrderIsRoutedOnceItsSupplierIsReinstatedAndOnlyOnce() {
        String orderId = bagOrderHeldBySuspendedSupplier();

        String c = supplier("c", "ACTIVE", "US"); // reinstated
        awaitOrder(orderId, "ROUTED");
        // The same supplier announced again, and its product: the order is routed already, nothing more happens.
        supplier("c", "ACTIVE", "US");
        product(c, "BAG", "3.00", "1.00");
        assertEquals(
                1,
                TopicProbe.collect("SupplierOrderRouted", r -> orderId.equals(r.key()), 2, Duration.ofSeconds(8))
                        .size(),
                "one SupplierOrderRouted, however many changes follow");
    }

    @Test
    void stockReturningAtASupplierThatRefusedForWantOfItRoutesTheHeldOrderAgainButARejectionIsNotForgotten() {
        String[] ab = mugWithABackupSupplier();
        String a = ab[0];
        String b = ab[1];
        String orderId = place("STORE-MUGx2");
        awaitOrder(orderId, "ROUTED");
        refuse(TopicProbe.json(routed(orderId, 1).get(0)), 1);
        refuse(TopicProbe.json(routed(orderId, 2).get(1)), 0);
        awaitOrder(orderId, "ON_HOLD");

        stock(b, "MUG2", 0); // nothing to sell yet: still held
        stock("sup-elsewhere-" + run, "MUG2", 9); // another supplier's stock: not this order's business
        stock(b, "MUG2", 5); // the backup has the mug again

        awaitOrder(orderId, "ROUTED");
        JsonNode third = TopicProbe.json(routed(orderId, 3).get(2));
        assertEquals(b, third.get("supplierId").asText(), "a still refused for stock; b has it back");
        assertEquals(3, third.get("attempt").asInt());

        reject(third);
        awaitOrder(orderId, "ON_HOLD");
        stock(b, "MUG2", 7);
        // A rejection keeps its supplier away: the order waits on a, whose stock has not come back.
        await().during(3, TimeUnit.SECONDS)
                .atMost(10, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.retailer(retailer))
                        .get("/api/orders/" + orderId + "/status")
                        .then()
                        .body("status", equalTo("ON_HOLD")));
        stock(a, "MUG", 4);
        awaitOrder(orderId, "ROUTED");
        assertEquals(
                a, TopicProbe.json(routed(orderId, 4).get(3)).get("supplierId").asText());
    }

    @Test
    void supportRoutesAHeldLineByHandToAChosenSupplierProductCheckedAsAnyRoutingAndRecordsWhoAndWhy() {
        String a = supplier("a", "ACTIVE", "US");
        String z = supplier("z", "SUSPENDED", "US");
        product(a, "SCARF", "7.00", "2.00");
        product(z, "SCARF", "6.00", "2.00");
        String orderId = place("STORE-SCARFx1");
        awaitOrder(orderId, "ON_HOLD");
        String support = TestTokens.support();

        // Bad input first: each a clear answer, nothing changes.
        given().auth()
                .oauth2(support)
                .contentType("application/json")
                .body(Map.of("supplierId", z, "sku", "SCARF", "reason", "z has it"))
                .post("/api/orders/" + orderId + "/lines/L1/route")
                .then()
                .statusCode(422)
                .body("type", equalTo("urn:dropship:problem:not-routable"))
                .body("detail", containsString("belongs to a supplier that is SUSPENDED"));
        given().auth()
                .oauth2(support)
                .contentType("application/json")
                .body(Map.of("supplierId", a, "sku", "NO-SUCH", "reason", "typo"))
                .post("/api/orders/" + orderId + "/lines/L1/route")
                .then()
                .statusCode(422)
                .body("detail", containsString("is not in the catalog"));
        given().auth()
                .oauth2(support)
                .contentType("application/json")
                .body(Map.of("supplierId", a, "sku", "SCARF", "reason", ""))
                .post("/api/orders/" + orderId + "/lines/L1/route")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(support)
                .contentType("application/json")
                .body(Map.of("supplierId", a, "sku", "SCARF", "reason", "x"))
                .post("/api/orders/" + orderId + "/lines/L9/route")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestTokens.retailer("ret-someone-else"))
                .contentType("application/json")
                .body(Map.of("supplierId", a, "sku", "SCARF", "reason", "mine?"))
                .post("/api/orders/" + orderId + "/lines/L1/route")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(support)
                .get("/api/orders/" + orderId + "/status")
                .then()
                .body("status", equalTo("ON_HOLD"));

        given().auth()
                .oauth2(support)
                .contentType("application/json")
                .body(Map.of(
                        "supplierId",
                        a,
                        "sku",
                        "SCARF",
                        "reason",
                        "the retailer asked by phone; a stocks the same scarf"))
                .post("/api/orders/" + orderId + "/lines/L1/route")
                .then()
                .statusCode(200)
                .body("status", equalTo("ROUTED"))
                .body("holdReason", org.hamcrest.Matchers.nullValue());
        JsonNode event = TopicProbe.json(routed(orderId, 1).get(0));
        assertEquals(a, event.get("supplierId").asText());
        assertEquals(
                a + ":SCARF", event.get("lines").get(0).get("supplierProductId").asText());

        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/orders/" + orderId + "/actions")
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].action", equalTo("ROUTE_BY_HAND"))
                .body("items[0].detail", equalTo("to " + a + ":SCARF"))
                .body("items[0].actorRole", equalTo("SUPPORT"))
                .body("items[0].reason", containsString("asked by phone"))
                .body("items[0].outcome", equalTo("ROUTED"));
        // Routed now: a second hand is a conflict.
        given().auth()
                .oauth2(support)
                .contentType("application/json")
                .body(Map.of("supplierId", a, "sku", "SCARF", "reason", "again"))
                .post("/api/orders/" + orderId + "/lines/L1/route")
                .then()
                .statusCode(409);
    }

    @Test
    void theRetailerSubstitutesAnotherOfItsListingsForAHeldLine() {
        String a = supplier("a", "ACTIVE", "US");
        product(a, "BELT", "9.00", "2.00");
        listing("STORE-BELT-BROWN", a + ":BELT");
        String orderId = place("STORE-BELT-BLACKx1");
        awaitOrder(orderId, "ON_HOLD");
        String token = TestTokens.retailer(retailer);

        given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body(Map.of("listingId", "lst-not-mine", "reason", "try"))
                .post("/api/orders/" + orderId + "/lines/L1/substitute")
                .then()
                .statusCode(422);
        given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body(Map.of("listingId", "lst-STORE-BELT-BROWN-" + run, "reason", "customer agreed to brown"))
                .post("/api/orders/" + orderId + "/lines/L1/substitute")
                .then()
                .statusCode(200)
                .body("status", equalTo("ROUTED"));
        assertEquals(
                a, TopicProbe.json(routed(orderId, 1).get(0)).get("supplierId").asText());
        given().auth()
                .oauth2(token)
                .get("/api/orders/" + orderId + "/actions")
                .then()
                .body("items[0].action", equalTo("SUBSTITUTE_LISTING"))
                .body("items[0].detail", equalTo("SKU STORE-BELT-BLACK -> listing lst-STORE-BELT-BROWN-" + run))
                .body("items[0].actorRole", equalTo("RETAILER"));
    }

    @Inject
    MeterRegistry meters;

    @Test
    void aReservedSupplierOrderIsMarkedReservedAndTimedFromTheWebhook() {
        String a = supplier("a", "ACTIVE", "US");
        product(a, "MUG", "6.00", "3.00");
        listing("STORE-MUG", a + ":MUG");
        long before = reservedTimed();
        String orderId = placeIn("USD", Instant.now(), "STORE-MUGx1");
        awaitOrder(orderId, "ROUTED");
        reserve(TopicProbe.json(routed(orderId, 1).get(0)));
        // Timed from the order's arrival at the gateway (OrderPlaced's occurredAt) to its supplier order's stock held.
        await().atMost(10, TimeUnit.SECONDS).until(() -> reservedTimed() > before);
        assertEquals(before + 1, reservedTimed());
        assertTrue(meters.get("dropship.orders.webhook.to.reserved").timer().max(TimeUnit.MILLISECONDS) > 0);
    }

    /** Reservations timed so far (the timer exists once order-service has handled its first reservation). */
    private long reservedTimed() {
        Timer timer = meters.find("dropship.orders.webhook.to.reserved").timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void aSplitOrderIsPartiallyShippedUntilEverySupplierHasShippedWithTrackingThenDeliveredWhenEveryParcelArrived() {
        String orderId = placeSplitOrder();
        List<ConsumerRecord<String, String>> events = routed(orderId, 2);

        ship(TopicProbe.json(events.get(0)), "1Z-FIRST");
        awaitOrder(orderId, "PARTIALLY_SHIPPED");
        ship(TopicProbe.json(events.get(1)), "1Z-SECOND");
        JsonNode order = awaitOrder(orderId, "SHIPPED");

        List<String> tracking = new java.util.ArrayList<>();
        order.get("supplierOrders")
                .forEach(so ->
                        tracking.add(so.get("tracking").get("trackingNumber").asText()));
        assertEquals(
                List.of("1Z-FIRST", "1Z-SECOND"), tracking.stream().sorted().toList());

        deliver(TopicProbe.json(events.get(0)));
        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.retailer(retailer))
                        .get("/api/orders/" + orderId + "/status")
                        .then()
                        .body("supplierOrders.status", org.hamcrest.Matchers.hasItem("DELIVERED"))
                        .body("status", equalTo("SHIPPED")));
        deliver(TopicProbe.json(events.get(1)));
        awaitOrder(orderId, "DELIVERED");
    }

    /** The store's cancellation, as the gateway publishes it: answers the event id. */
    private String cancelAtStore(String orderId) {
        ObjectNode cancelled = example("OrderCancelled")
                .put("orderId", orderId)
                .put("retailerId", retailer)
                .put("source", "STORE")
                .put("reason", "customer")
                .put("cancelledAt", Instant.now().toString());
        String eventId = UUID.randomUUID().toString();
        ContractCheck.assertValid("OrderCancelled", cancelled.toString());
        TopicProbe.send(
                "OrderCancelled", orderId, cancelled.toString(), Map.of("id", eventId, "eventType", "OrderCancelled"));
        return eventId;
    }

    @Test
    void theTimelineTellsEverythingThatHappenedWithEveryCandidateAndWhyItWonOrLostOnceAndWithoutPersonalData()
            throws Exception {
        String[] ab = mugWithABackupSupplier();
        String orderId = place("STORE-MUGx2");
        awaitOrder(orderId, "ROUTED");
        JsonNode first = TopicProbe.json(routed(orderId, 1).get(0));
        reserve(first);
        reject(first);
        routed(orderId, 2);
        ObjectNode activity =
                example("OrderActivity").put("orderId", orderId).put("summary", "Tracking to the shopify store: done");
        String activityId = UUID.randomUUID().toString();
        ContractCheck.assertValid("OrderActivity", activity.toString());
        // Poison in the same stream: no summary, then an order id that is not one. Each goes to the timeline's
        // dead-letter topic and the entries around it are kept.
        ObjectNode noSummary = activity.deepCopy();
        noSummary.remove("summary");
        String noSummaryId = UUID.randomUUID().toString();
        TopicProbe.send(
                "OrderActivity",
                orderId,
                noSummary.toString(),
                Map.of("id", noSummaryId, "eventType", "OrderActivity"));
        String notAnOrderId = UUID.randomUUID().toString();
        TopicProbe.send(
                "OrderActivity",
                orderId,
                activity.deepCopy().put("orderId", "not-an-order").toString(),
                Map.of("id", notAnOrderId, "eventType", "OrderActivity"));
        for (int i = 0; i < 2; i++) { // delivered twice: one entry
            TopicProbe.send(
                    "OrderActivity",
                    orderId,
                    activity.toString(),
                    Map.of("id", activityId, "eventType", "OrderActivity"));
        }
        String path = "/api/orders/" + orderId + "/timeline";
        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.retailer(retailer))
                        .get(path)
                        .then()
                        .statusCode(200)
                        .body(
                                "entries.kind",
                                org.hamcrest.Matchers.hasItems(
                                        "ORDER_PLACED",
                                        "ROUTING_DECISION",
                                        "SUPPLIER_ORDER_ROUTED",
                                        "STOCK_RESERVED",
                                        "SUPPLIER_REJECTED",
                                        "STORE_PUSH")));
        String body = given().auth()
                .oauth2(TestTokens.support())
                .get(path)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        JsonNode timeline = JSON.readTree(body);
        for (String[] dead :
                new String[][] {{noSummaryId, "without service, kind or summary"}, {notAnOrderId, "not a UUID"}}) {
            ConsumerRecord<String, String> letter = TopicProbe.await(
                    "Timeline.order-service.DLT",
                    r -> TopicProbe.header(r, "id").orElse("").equals(dead[0]),
                    Duration.ofSeconds(30));
            String reason = TopicProbe.header(letter, "dead-letter-reason").orElseThrow();
            assertTrue(reason.contains(dead[1]), reason);
            assertEquals(
                    "OrderActivity",
                    TopicProbe.header(letter, "dead-letter-topic").orElseThrow());
        }
        List<String> kinds = new java.util.ArrayList<>();
        timeline.get("entries").forEach(e -> kinds.add(e.get("kind").asText()));
        assertEquals(1, kinds.stream().filter("STORE_PUSH"::equals).count(), kinds.toString());
        assertEquals(2, kinds.stream().filter("ROUTING_DECISION"::equals).count(), kinds.toString());
        assertTrue(
                kinds.indexOf("ORDER_PLACED") < kinds.indexOf("STOCK_RESERVED")
                        && kinds.indexOf("STOCK_RESERVED") < kinds.lastIndexOf("ROUTING_DECISION"),
                "in time order: " + kinds);
        // The first entry names the store webhook that brought the order in (OrderPlaced.webhook).
        JsonNode placed = timeline.get("entries").get(kinds.indexOf("ORDER_PLACED"));
        assertTrue(
                placed.get("summary").asText().contains("from the shopify store by its orders/paid webhook"),
                placed.toString());
        JsonNode decision = null;
        JsonNode second = null;
        for (JsonNode e : timeline.get("entries")) {
            if (e.get("kind").asText().equals("ROUTING_DECISION")) {
                if (decision == null) {
                    decision = e;
                } else {
                    second = e;
                }
            }
        }
        assertEquals(
                "Routing attempt 1: L1 to " + ab[0], decision.get("summary").asText());
        JsonNode won = decision.at("/detail/candidates/0");
        JsonNode lost = decision.at("/detail/candidates/1");
        assertEquals(ab[0], won.get("supplierId").asText());
        assertEquals("CHOSEN", won.get("outcome").asText());
        assertEquals("won on landed cost (18.00 against 19.00)", won.get("why").asText());
        assertEquals("LOST", lost.get("outcome").asText());
        assertEquals(
                "lost on landed cost (18.00 against 19.00)", lost.get("why").asText());
        assertEquals("the only candidate", second.at("/detail/candidates/0/why").asText());
        assertEquals(ab[0], second.at("/detail/passedOver/0/supplierId").asText());
        assertEquals(
                "the supplier refused or rejected this line before",
                second.at("/detail/passedOver/0/why").asText());
        assertTrue(
                !body.contains("shippingAddress") && !body.contains("customerEmail") && !body.contains("postalCode"),
                "no personal data in the timeline");
        given().auth()
                .oauth2(TestTokens.retailer("ret-other-" + run))
                .get(path)
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestTokens.support())
                .get("/api/orders/" + UUID.randomUUID() + "/timeline")
                .then()
                .statusCode(404);
    }

    @Test
    void aSupplierRejectionReroutesEveryLineToTheBackupSupplier() {
        String b = mugWithABackupSupplier()[1];
        String orderId = place("STORE-MUGx2");
        awaitOrder(orderId, "ROUTED");
        JsonNode first = TopicProbe.json(routed(orderId, 1).get(0));
        reserve(first);

        reject(first);

        JsonNode second = TopicProbe.json(routed(orderId, 2).get(1));
        assertEquals(b, second.get("supplierId").asText());
        assertEquals(2, second.get("attempt").asInt());
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/orders/" + orderId + "/status")
                .then()
                .body("status", equalTo("ROUTED"))
                .body("supplierOrders.status", equalTo(List.of("REJECTED", "ROUTED")));
    }

    /**
     * A retailer's cancellation races a supplier's rejection (which re-routes to the backup) on the same order, several
     * times over. They queue on the order's lock, and whichever goes first, the order ends CANCELLED with no supplier
     * order left open, the rejected one is never cancelled, and each cancelled supplier order is announced once.
     * (Before the lock, the two deadlocked on their rows and the cancellation failed with a 503.)
     */
    @Test
    void aCancellationRacingARejectionLeavesNothingOpenAndAnnouncesEachCancellationOnce() {
        String b = mugWithABackupSupplier()[1];
        List<String> orders = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            orders.add(place("STORE-MUGx1"));
        }
        List<Integer> answers = new java.util.ArrayList<>();
        for (String orderId : orders) {
            awaitOrder(orderId, "ROUTED");
            JsonNode first = TopicProbe.json(routed(orderId, 1).get(0));
            String rejection = UUID.randomUUID().toString();
            ObjectNode rejected = example("SupplierOrderRejected")
                    .put("supplierOrderId", first.get("supplierOrderId").asText())
                    .put("orderId", orderId)
                    .put("supplierId", first.get("supplierId").asText())
                    .put("reason", "damaged stock")
                    .put("rejectedAt", Instant.now().toString());
            rejected.putArray("lines")
                    .addObject()
                    .put("lineId", "L1")
                    .put("sku", "MUG")
                    .put("quantity", 1);
            TopicProbe.send(
                    "SupplierOrderRejected",
                    orderId,
                    rejected.toString(),
                    Map.of("id", rejection, "eventType", "SupplierOrderRejected"));
            answers.add(given().auth()
                    .oauth2(TestTokens.retailer(retailer))
                    .contentType("application/json")
                    .body("{\"reason\":\"race\"}")
                    .post("/api/orders/" + orderId + "/cancel")
                    .then()
                    .extract()
                    .statusCode());
            Outboxes.awaitConsumed("order-service.supplier-order-rejected", rejection);
        }
        for (String orderId : orders) {
            JsonNode order = awaitOrder(orderId, "CANCELLED");
            List<String> cancelledIds = new java.util.ArrayList<>();
            for (JsonNode so : order.get("supplierOrders")) {
                String status = so.get("status").asText();
                assertTrue(
                        status.equals("CANCELLED") || status.equals("REJECTED"),
                        orderId + ": nothing left open: " + order);
                if (status.equals("CANCELLED")) {
                    cancelledIds.add(so.get("supplierOrderId").asText());
                }
                if (status.equals("REJECTED")) {
                    assertTrue(
                            order.get("supplierOrders").size() == 2,
                            "a rejection that won re-routed to the backup: " + order);
                }
            }
            assertEquals(1, cancelledIds.size(), orderId + ": " + order);
            assertEquals(1, Outboxes.published("SupplierOrderCancelled", orderId), orderId + ": announced once");
            assertEquals(1, Outboxes.publishedContaining("SupplierOrderCancelled", orderId, cancelledIds.get(0)));
            if (order.get("supplierOrders").size() == 2) {
                assertEquals(2, Outboxes.published("SupplierOrderRouted", orderId));
                assertTrue(
                        Outboxes.publishedContaining("SupplierOrderRouted", orderId, b) == 1,
                        "the re-route went to the backup");
            }
        }
        assertEquals(java.util.Collections.nCopies(orders.size(), 200), answers);
    }

    @Test
    void aStoreCancellationCancelsWhatHasNotShippedAndTellsInventoryAndFulfillmentOnce() {
        String orderId = placeSplitOrder();
        List<ConsumerRecord<String, String>> events = routed(orderId, 2);
        JsonNode shippedFirst = TopicProbe.json(events.get(0));
        ship(shippedFirst, "1Z-EARLY");
        awaitOrder(orderId, "PARTIALLY_SHIPPED");

        String first = cancelAtStore(orderId);
        String second = cancelAtStore(orderId);

        JsonNode order = awaitOrder(orderId, "CANCELLED");
        Outboxes.awaitConsumed("order-service.order-cancelled", first);
        Outboxes.awaitConsumed("order-service.order-cancelled", second);
        assertEquals(1, Outboxes.published("SupplierOrderCancelled", orderId), "once, though the store said it twice");
        assertEquals(
                "cancelled by the store: customer",
                order.get("cancellationReason").asText());
        List<ConsumerRecord<String, String>> cancelled =
                TopicProbe.collect("SupplierOrderCancelled", r -> orderId.equals(r.key()), 1, Duration.ofSeconds(60));
        assertEquals(1, cancelled.size(), "only the supplier order that had not shipped");
        ContractCheck.assertValid("SupplierOrderCancelled", cancelled.get(0).value());
        assertEquals(
                TopicProbe.json(events.get(1)).get("supplierOrderId").asText(),
                TopicProbe.json(cancelled.get(0)).get("supplierOrderId").asText());
        List<String> statuses = new java.util.ArrayList<>();
        order.get("supplierOrders").forEach(so -> statuses.add(so.get("status").asText()));
        assertEquals(List.of("CANCELLED", "SHIPPED"), statuses.stream().sorted().toList());
    }

    @Test
    void aCancellationThatArrivesBeforeItsOrderMeansTheOrderIsNeverRouted() {
        String a = supplier("a", "ACTIVE", "US");
        product(a, "MUG", "6.00", "3.00");
        listing("STORE-MUG", a + ":MUG");
        String orderId = UUID.randomUUID().toString();
        cancelAtStore(orderId);
        Rows.await("select 1 from order_cancellation where order_id = cast(? as uuid)", orderId);

        ObjectNode e = example("OrderPlaced")
                .put("orderId", orderId)
                .put("retailerId", retailer)
                .put("orderNumber", "DS-" + run);
        ArrayNode lines = e.putArray("lines");
        lines.addObject()
                .put("lineId", "L1")
                .putNull("listingId")
                .put("sku", "STORE-MUG")
                .put("quantity", 1)
                .put("retailPrice", "9.99");
        publish("OrderPlaced", orderId, e);

        awaitOrder(orderId, "CANCELLED");
        assertEquals(0, Outboxes.published("SupplierOrderRouted", orderId), "the cancelled order was never routed");
    }

    @Test
    void aRetailerCancelsItsOwnUnshippedOrderThroughTheApiButNotAShippedOneNorAnotherRetailers() {
        String a = supplier("a", "ACTIVE", "US");
        product(a, "MUG", "6.00", "3.00");
        listing("STORE-MUG", a + ":MUG");
        String orderId = place("STORE-MUGx1");
        awaitOrder(orderId, "ROUTED");
        JsonNode routedEvent = TopicProbe.json(routed(orderId, 1).get(0));

        given().auth()
                .oauth2(TestTokens.retailer("ret-other"))
                .contentType("application/json")
                .body("{}")
                .post("/api/orders/" + orderId + "/cancel")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType("application/json")
                .body("{\"reason\":\"" + "x".repeat(401) + "\"}")
                .post("/api/orders/" + orderId + "/cancel")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType("application/json")
                .body("{\"reason\":\"customer changed their mind\"}")
                .post("/api/orders/" + orderId + "/cancel")
                .then()
                .statusCode(200)
                .body("status", equalTo("CANCELLED"))
                .body("cancellationReason", equalTo("cancelled by the retailer: customer changed their mind"))
                .body("supplierOrders[0].status", equalTo("CANCELLED"));
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType("application/json")
                .body("{}")
                .post("/api/orders/" + orderId + "/cancel")
                .then()
                .statusCode(200)
                .body("status", equalTo("CANCELLED"));
        // Recorded once, with who and why, among the order's actions.
        given().auth()
                .oauth2(TestTokens.support())
                .get("/api/orders/" + orderId + "/actions")
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].action", equalTo("CANCEL"))
                .body("items[0].actorRole", equalTo("RETAILER"))
                .body("items[0].reason", equalTo("customer changed their mind"))
                .body("items[0].outcome", equalTo("CANCELLED"));
        // Written in each request's transaction: after the answers, the outbox holds all there is.
        assertEquals(1, Outboxes.published("SupplierOrderCancelled", orderId), "cancelled once, though asked twice");
        List<ConsumerRecord<String, String>> cancelled =
                TopicProbe.collect("SupplierOrderCancelled", r -> orderId.equals(r.key()), 1, Duration.ofSeconds(60));
        assertEquals(
                routedEvent.get("supplierOrderId").asText(),
                TopicProbe.json(cancelled.get(0)).get("supplierOrderId").asText());

        String shippedOrder = place("STORE-MUGx1");
        awaitOrder(shippedOrder, "ROUTED");
        ship(TopicProbe.json(routed(shippedOrder, 1).get(0)), "1Z-GONE");
        awaitOrder(shippedOrder, "SHIPPED");
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType("application/json")
                .body("{}")
                .post("/api/orders/" + shippedOrder + "/cancel")
                .then()
                .statusCode(409);
        // A cancellation refunds the retailer: support reads orders but does not move money.
        given().auth()
                .oauth2(TestTokens.support())
                .contentType("application/json")
                .body("{}")
                .post("/api/orders/" + shippedOrder + "/cancel")
                .then()
                .statusCode(403);
    }

    @Test
    void supplierPerformanceIsMeasuredAndAnEquallyPricedOrderGoesToTheMoreReliableSupplier() {
        String a = supplier("perf-a", "ACTIVE", "US");
        String b = supplier("perf-b", "ACTIVE", "US");
        product(a, "LAMP", "6.00", "3.00");
        product(b, "LAMP", "6.00", "3.00");
        listing("STORE-LAMP", a + ":LAMP", b + ":LAMP");

        // Order 1: the tie goes to the primary, a, which ships it in time.
        String first = place("STORE-LAMPx1");
        JsonNode firstRouted = TopicProbe.json(routed(first, 1).get(0));
        assertEquals(a, firstRouted.get("supplierId").asText());
        reserve(firstRouted);
        ship(firstRouted, "1Z-PERF-1");
        awaitOrder(first, "SHIPPED");
        // Order 2: a again, which rejects it; it is re-routed to b.
        String second = place("STORE-LAMPx1");
        JsonNode secondRouted = TopicProbe.json(routed(second, 1).get(0));
        assertEquals(a, secondRouted.get("supplierId").asText());
        reserve(secondRouted);
        reject(secondRouted);
        assertEquals(
                b, TopicProbe.json(routed(second, 2).get(1)).get("supplierId").asText());

        // Two orders handed to a: one shipped on time, one rejected, no case. 0.4 x 1 + 0.25 x 0.5 + 0.15 x 1 + 0.2 x 1
        // = 0.875 over two orders, blended with five perfect ones: (2 x 0.875 + 5) / 7 = 0.964.
        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.admin())
                        .get("/api/supplier-performance/" + a)
                        .then()
                        .statusCode(200)
                        .body("handed", equalTo(2))
                        .body("shipped", equalTo(1))
                        .body("rejected", equalTo(1))
                        .body("rejectionRate", equalTo("0.500"))
                        .body("onTimeRate", equalTo("1.000"))
                        .body("cancellationRate", equalTo("0.000"))
                        .body("reliability", equalTo("0.964"))
                        .body("window", equalTo("PT720H")));
        given().auth()
                .oauth2(TestTokens.supplier(a))
                .get("/api/supplier-performance/" + a)
                .then()
                .statusCode(200)
                .body("p50HoursToShip", org.hamcrest.Matchers.notNullValue());
        given().auth()
                .oauth2(TestTokens.supplier(b))
                .get("/api/supplier-performance/" + a)
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/supplier-performance/" + a)
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.supplier(b))
                .get("/api/supplier-performance")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.support())
                .get("/api/supplier-performance")
                .then()
                .statusCode(200)
                .body("items.find { it.supplierId == '" + a + "' }.reliability", equalTo("0.964"));
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/supplier-performance/sup-nobody")
                .then()
                .statusCode(200)
                .body("handed", equalTo(0))
                .body("reliability", equalTo("1.000"));

        // Routing reads it: with a's reliability below b's, the next order at the same price goes to b.
        Rows.await("select 1 from supplier_view where supplier_id = ? and reliability < 1", a);
        // And the directory hears of it (SupplierScored, for catalog-service's rating).
        String score = TopicProbe.await(
                        "SupplierScored",
                        r -> a.equals(r.key())
                                && "0.964"
                                        .equals(TopicProbe.json(r)
                                                .path("reliability")
                                                .asText()),
                        java.time.Duration.ofSeconds(30))
                .value();
        io.dropship.contracts.ContractCheck.assertValid("SupplierScored", score);
        String third = place("STORE-LAMPx1");
        assertEquals(
                b, TopicProbe.json(routed(third, 1).get(0)).get("supplierId").asText());
    }
}
