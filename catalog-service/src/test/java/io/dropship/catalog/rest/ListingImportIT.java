package io.dropship.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropship.contracts.ContractCheck;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Listing import into a store with the retailer's pricing rule, and re-pricing with the tolerance queue. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class ListingImportIT {

    static void product(String supplier, String sku, String wholesale, String msrp, String map, String status) {
        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .contentType(ContentType.JSON)
                .body("{\"title\":\"Lamp " + sku + "\",\"description\":\"Brass desk lamp\",\"wholesalePrice\":\""
                        + wholesale
                        + "\",\"shippingCost\":\"2.00\",\"currency\":\"USD\",\"status\":\"" + status + "\""
                        + (msrp == null ? "" : ",\"msrp\":\"" + msrp + "\"")
                        + (map == null ? "" : ",\"mapPrice\":\"" + map + "\"")
                        + ",\"images\":[\"https://cdn.example.com/" + sku + ".jpg\"]}")
                .put("/api/supplier/products/" + sku)
                .then()
                .statusCode(200);
    }

    static void rule(String retailer, String body) {
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body(body)
                .put("/api/listings/pricing-rule")
                .then()
                .statusCode(200);
    }

    static String item(String supplier, String sku) {
        return "{\"supplierId\":\"" + supplier + "\",\"sku\":\"" + sku + "\"}";
    }

    /** The retailer lists two of the supplier's products in a store in one request; the import's items. */
    private static JsonNode listTwo(String retailer, String store, String supplier, String a, String b) {
        return read(given().auth()
                        .oauth2(TestTokens.retailer(retailer))
                        .contentType(ContentType.JSON)
                        .body("{\"storeId\":\"" + store + "\",\"products\":[" + item(supplier, a) + ","
                                + item(supplier, b) + "]}")
                        .post("/api/listings/imports")
                        .then()
                        .statusCode(200)
                        .body("created", equalTo(2))
                        .extract()
                        .asString())
                .get("items");
    }

    private static JsonNode read(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The first ListingChanged of the listing published after the instant given, held to its contract. */
    private static JsonNode firstListingEvent(String listingId) {
        List<ConsumerRecord<String, String>> events =
                TopicProbe.collect("ListingChanged", r -> listingId.equals(r.key()), 1, Duration.ofSeconds(60));
        ContractCheck.assertValid("ListingChanged", events.get(0).value());
        return TopicProbe.json(events.get(0));
    }

    /**
     * The listing's event that carries this price. The import's own event can reach Kafka after the test's clock
     * reading, so a time filter alone could pick it; the price tells the events apart.
     */
    static JsonNode listingEventPriced(String listingId, String price) {
        List<ConsumerRecord<String, String>> events = TopicProbe.collect(
                "ListingChanged",
                r -> listingId.equals(r.key())
                        && price.equals(TopicProbe.json(r).path("price").asText()),
                1,
                Duration.ofSeconds(60));
        ContractCheck.assertValid("ListingChanged", events.get(0).value());
        return TopicProbe.json(events.get(0));
    }

    @Test
    void manyProductsAreListedInAStoreInOneRequestPricedByTheRetailersRule() {
        String supplier = SupplierOnboardingIT.activeSupplier();
        product(supplier, "LAMP-1", "10.00", "40.00", null, "ACTIVE");
        product(supplier, "LAMP-2", "20.00", "30.00", null, "ACTIVE");
        product(supplier, "LAMP-3", "8.00", null, "25.00", "ACTIVE");
        product(supplier, "LAMP-OLD", "8.00", null, null, "DISCONTINUED");
        String retailer = "ret-" + UUID.randomUUID();
        rule(
                retailer,
                "{\"method\":\"MARKUP_PERCENT\",\"amount\":50,\"minMarginPercent\":20,\"priceEnding\":0.99,\"tolerancePercent\":10}");
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/listings/pricing-rule")
                .then()
                .statusCode(200)
                .body("method", equalTo("MARKUP_PERCENT"))
                .body("capAtMsrp", equalTo(true));

        String body =
                "{\"storeId\":\"st-1\",\"products\":[" + item(supplier, "LAMP-1") + "," + item(supplier, "LAMP-2") + ","
                        + "{\"supplierId\":\"" + supplier
                        + "\",\"sku\":\"LAMP-3\",\"listingSku\":\"MY-LAMP-3\",\"title\":\"Reading lamp\"},"
                        + item(supplier, "NOPE") + "," + item(supplier, "LAMP-OLD") + "]}";
        JsonNode report = read(given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/listings/imports")
                .then()
                .statusCode(200)
                .body("created", equalTo(3))
                .body("rejected", equalTo(2))
                .extract()
                .asString());
        JsonNode items = report.get("items");
        // landed 12.00 x 1.5 = 18.00, ending .99: 18.99, below the MSRP 40 which is the compare-at price.
        assertEquals("18.99", items.get(0).get("price").asText());
        assertEquals("40.00", items.get(0).get("compareAtPrice").asText());
        // landed 22.00 x 1.5 = 33.00 -> 33.99, capped at the MSRP 30.00 (a 26.67% margin, above the 20% minimum).
        assertEquals("30.00", items.get(1).get("price").asText());
        // landed 10.00 x 1.5 = 15.99, raised to the MAP 25.00, ending .99: 25.99.
        assertEquals("25.99", items.get(2).get("price").asText());
        assertEquals("MY-LAMP-3", items.get(2).get("listingSku").asText());
        assertEquals("REJECTED", items.get(3).get("result").asText());
        assertEquals(
                "unknown supplier product " + supplier + ":NOPE",
                items.get(3).get("reason").asText());
        assertEquals("the product is discontinued", items.get(4).get("reason").asText());

        JsonNode event = firstListingEvent(items.get(2).get("listingId").asText());
        assertEquals("st-1", event.get("storeId").asText());
        assertEquals("25.99", event.get("price").asText());
        assertEquals("Reading lamp", event.get("title").asText());
        assertEquals("MY-LAMP-3", event.get("sku").asText());
        assertEquals("Brass desk lamp", event.get("description").asText());
        assertEquals(
                "https://cdn.example.com/LAMP-3.jpg", event.get("images").get(0).asText());
        assertEquals(
                supplier + ":LAMP-3",
                event.get("offers").get(0).get("supplierProductId").asText());

        // The same import again changes nothing; the same store SKU in another store is refused.
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/listings/imports")
                .then()
                .statusCode(200)
                .body("unchanged", equalTo(3))
                .body("created", equalTo(0));
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body("{\"storeId\":\"st-2\",\"products\":[" + item(supplier, "LAMP-1") + "]}")
                .post("/api/listings/imports")
                .then()
                .statusCode(200)
                .body("rejected", equalTo(1))
                .body("items[0].reason", containsString("already listed in store st-1"));
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/listings")
                .then()
                .statusCode(200)
                .body("items.findAll { it.storeId == 'st-1' }", hasSize(3));
    }

    @Test
    void aBurstOfProductChangesRepricesEachListingFromTheProductAsItIsAndDeadLettersOnlyTheUnreadable() {
        String supplier = SupplierOnboardingIT.activeSupplier();
        product(supplier, "BURST-1", "10.00", null, null, "ACTIVE");
        product(supplier, "BURST-2", "20.00", null, null, "ACTIVE");
        product(supplier, "BURST-3", "30.00", null, null, "ACTIVE");
        String retailer = "ret-" + UUID.randomUUID();
        rule(retailer, "{\"method\":\"MARKUP_PERCENT\",\"amount\":100,\"tolerancePercent\":100}");
        JsonNode items = listTwo(retailer, "st-burst", supplier, "BURST-1", "BURST-2");
        String first = items.get(0).get("listingId").asText();
        String second = items.get(1).get("listingId").asText();

        // Changes in quick succession, read a poll at a time: a product changed twice, one changed once, one no listing
        // stands behind, a record that cannot be read and one without its SKU.
        String garbled = UUID.randomUUID().toString();
        String incomplete = UUID.randomUUID().toString();
        product(supplier, "BURST-1", "12.00", null, null, "ACTIVE");
        TopicProbe.send(
                "SupplierProductChanged",
                supplier + ":BURST-1",
                "{\"supplierId\":",
                java.util.Map.of("id", garbled, "eventType", "SupplierProductChanged"));
        product(supplier, "BURST-3", "31.00", null, null, "ACTIVE");
        TopicProbe.send(
                "SupplierProductChanged",
                supplier + ":BURST-2",
                "{\"supplierId\":\"" + supplier + "\"}",
                java.util.Map.of("id", incomplete, "eventType", "SupplierProductChanged"));
        product(supplier, "BURST-1", "14.00", null, null, "ACTIVE");
        product(supplier, "BURST-2", "19.00", null, null, "ACTIVE");

        // landed 16.00 x 2 and 21.00 x 2: each listing takes its product's newest cost.
        listingEventPriced(first, "32.00");
        listingEventPriced(second, "42.00");
        for (String id : List.of(garbled, incomplete)) {
            ConsumerRecord<String, String> dead = TopicProbe.await(
                    "SupplierProductChanged.catalog-service.DLT",
                    r -> TopicProbe.header(r, "id").orElse("").equals(id),
                    Duration.ofSeconds(30));
            assertTrue(TopicProbe.header(dead, "dead-letter-reason").isPresent());
        }
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/listings")
                .then()
                .body("items.find { it.sku == 'BURST-1' }.price", equalTo("32.00"))
                .body("items.find { it.sku == 'BURST-2' }.price", equalTo("42.00"));
    }

    @Test
    void aSuppliersImportRepricesTheListingsBehindItsProductsAndABatchThatCannotBeReadIsDeadLettered() {
        String supplier = SupplierOnboardingIT.activeSupplier();
        product(supplier, "BULK-1", "10.00", null, null, "ACTIVE");
        product(supplier, "BULK-2", "20.00", null, null, "ACTIVE");
        String retailer = "ret-" + UUID.randomUUID();
        rule(retailer, "{\"method\":\"MARKUP_PERCENT\",\"amount\":100,\"tolerancePercent\":100}");
        JsonNode items = listTwo(retailer, "st-bulk", supplier, "BULK-1", "BULK-2");

        // A batch event no product can be taken from, then the import's own (one SupplierProductsChanged for both).
        String empty = UUID.randomUUID().toString();
        TopicProbe.send(
                "SupplierProductChanged",
                supplier,
                "{\"supplierId\":\"" + supplier + "\",\"products\":[]}",
                java.util.Map.of("id", empty, "eventType", "SupplierProductsChanged"));
        ImportIT.upload(
                        supplier,
                        "sku,title,wholesale price,shipping cost,currency\n"
                                + "BULK-1,Lamp BULK-1,11.00,2.00,USD\n"
                                + "BULK-2,Lamp BULK-2,21.00,2.00,USD\n",
                        "")
                .then()
                .statusCode(201)
                .body("rowsChanged", equalTo(2));

        // landed 13.00 and 23.00, doubled
        listingEventPriced(items.get(0).get("listingId").asText(), "26.00");
        listingEventPriced(items.get(1).get("listingId").asText(), "46.00");
        ConsumerRecord<String, String> dead = TopicProbe.await(
                "SupplierProductChanged.catalog-service.DLT",
                r -> TopicProbe.header(r, "id").orElse("").equals(empty),
                Duration.ofSeconds(30));
        assertTrue(TopicProbe.header(dead, "dead-letter-reason").orElse("").contains("without events"));
    }

    @Test
    void aReimportMovesAStoreSkuToAnotherProductRetitlesOneAndCreatesOneInTheSameRequest() {
        String a = SupplierOnboardingIT.activeSupplier();
        String b = SupplierOnboardingIT.activeSupplier();
        product(a, "MUG-1", "4.00", null, null, "ACTIVE");
        product(a, "MUG-2", "5.00", null, null, "ACTIVE");
        product(b, "CUP-1", "6.00", null, null, "ACTIVE");
        String retailer = "ret-" + UUID.randomUUID();
        rule(retailer, "{\"method\":\"MARKUP_PERCENT\",\"amount\":100}");
        String token = TestTokens.retailer(retailer);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"storeId\":\"st-m\",\"products\":["
                        + "{\"supplierId\":\"" + a + "\",\"sku\":\"MUG-1\",\"listingSku\":\"X\"},"
                        + "{\"supplierId\":\"" + a + "\",\"sku\":\"MUG-2\",\"listingSku\":\"Y\"}]}")
                .post("/api/listings/imports")
                .then()
                .statusCode(200)
                .body("created", equalTo(2));

        // X moves to supplier b's cup, Y keeps its product under a new title, Z is new; one request.
        JsonNode report = read(given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"storeId\":\"st-m\",\"products\":["
                        + "{\"supplierId\":\"" + b + "\",\"sku\":\"CUP-1\",\"listingSku\":\"X\"},"
                        + "{\"supplierId\":\"" + a
                        + "\",\"sku\":\"MUG-2\",\"listingSku\":\"Y\",\"title\":\"Tall mug\"},"
                        + "{\"supplierId\":\"" + a + "\",\"sku\":\"MUG-1\",\"listingSku\":\"Z\"}]}")
                .post("/api/listings/imports")
                .then()
                .statusCode(200)
                .body("updated", equalTo(2))
                .body("created", equalTo(1))
                .body("items.result", org.hamcrest.Matchers.contains("UPDATED", "UPDATED", "CREATED"))
                .extract()
                .asString());
        // landed 8.00 x 2 = 16.00 for the cup.
        assertEquals("16.00", report.get("items").get(0).get("price").asText());
        given().auth()
                .oauth2(token)
                .get("/api/listings")
                .then()
                .statusCode(200)
                .body("items.sku", org.hamcrest.Matchers.contains("X", "Y", "Z"))
                .body("items[0].offers", hasSize(1))
                .body("items[0].offers[0].supplierId", equalTo(b))
                .body("items[0].offers[0].sku", equalTo("CUP-1"))
                .body("items[1].title", equalTo("Tall mug"))
                .body("items[1].offers[0].sku", equalTo("MUG-2"))
                .body("items[2].offers[0].sku", equalTo("MUG-1"));
        JsonNode moved =
                listingEventPriced(report.get("items").get(0).get("listingId").asText(), "16.00");
        assertEquals(
                b + ":CUP-1",
                moved.get("offers").get(0).get("supplierProductId").asText());
        assertEquals(1, moved.get("offers").size());
        JsonNode retitled = TopicProbe.json(TopicProbe.collect(
                        "ListingChanged",
                        r -> report.get("items")
                                        .get(1)
                                        .get("listingId")
                                        .asText()
                                        .equals(r.key())
                                && "Tall mug"
                                        .equals(TopicProbe.json(r).path("title").asText()),
                        1,
                        Duration.ofSeconds(60))
                .get(0));
        assertEquals("st-m", retitled.get("storeId").asText());
        assertEquals(
                "Z",
                firstListingEvent(report.get("items").get(2).get("listingId").asText())
                        .get("sku")
                        .asText());
    }

    @Test
    void aRuleThatCannotPriceAProductRejectsItWithTheReason() {
        String supplier = SupplierOnboardingIT.activeSupplier();
        product(supplier, "LOW-MSRP", "10.00", "13.00", null, "ACTIVE");
        String retailer = "ret-" + UUID.randomUUID();
        rule(retailer, "{\"method\":\"MULTIPLIER\",\"amount\":2,\"minMarginPercent\":25}");
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body("{\"storeId\":\"st-1\",\"products\":[" + item(supplier, "LOW-MSRP") + "]}")
                .post("/api/listings/imports")
                .then()
                .statusCode(200)
                .body("items[0].result", equalTo("REJECTED"))
                .body("items[0].reason", equalTo("the MSRP 13.00 leaves a 7.69% margin, below the 25% minimum"));
        // The single listing PUT refuses it the same way.
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body("{\"title\":\"x\",\"offers\":[" + item(supplier, "LOW-MSRP") + "]}")
                .put("/api/listings/LOW")
                .then()
                .statusCode(409)
                .body("detail", containsString("below the 25% minimum"));
    }

    @Test
    void badImportsAndRulesAreRefusedWithTheReason() {
        String retailer = "ret-" + UUID.randomUUID();
        String token = TestTokens.retailer(retailer);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"storeId\":\"st-1\",\"products\":[]}")
                .post("/api/listings/imports")
                .then()
                .statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItem("products"));
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"products\":[" + item("s", "A") + "]}")
                .post("/api/listings/imports")
                .then()
                .statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItem("storeId"));
        String many = IntStream.range(0, 251).mapToObj(i -> item("s", "A" + i)).collect(Collectors.joining(","));
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"storeId\":\"st-1\",\"products\":[" + many + "]}")
                .post("/api/listings/imports")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"storeId\":\"st-1\",\"products\":[" + item("s", "A") + "," + item("t", "A") + "]}")
                .post("/api/listings/imports")
                .then()
                .statusCode(400)
                .body("detail", equalTo("store SKU A is named twice in one import"));
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"storeId\":\"st 1\",\"products\":[{\"supplierId\":\"s\",\"sku\":\"has space\"}]}")
                .post("/api/listings/imports")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"storeId\":\"st-1\",\"products\":[")
                .post("/api/listings/imports")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.supplier("sup-x"))
                .contentType(ContentType.JSON)
                .body("{\"storeId\":\"st-1\",\"products\":[" + item("s", "A") + "]}")
                .post("/api/listings/imports")
                .then()
                .statusCode(403);

        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"method\":\"MULTIPLIER\",\"amount\":0.5}")
                .put("/api/listings/pricing-rule")
                .then()
                .statusCode(400)
                .body("detail", equalTo("a multiplier is between 1 and 20"));
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"method\":\"DISCOUNT\",\"amount\":5}")
                .put("/api/listings/pricing-rule")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"method\":\"FIXED_AMOUNT\",\"amount\":5,\"priceEnding\":1.5}")
                .put("/api/listings/pricing-rule")
                .then()
                .statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItem("priceEnding"));
        // Until it sets one, a retailer has the default rule.
        given().auth()
                .oauth2(token)
                .get("/api/listings/pricing-rule")
                .then()
                .statusCode(200)
                .body("amount", equalTo("30"))
                .body("priceEnding", equalTo("0.99"));
    }

    @Test
    void aCostChangeRepricesWithinTheToleranceAndQueuesABiggerOneForTheRetailer() {
        String supplier = SupplierOnboardingIT.activeSupplier();
        product(supplier, "KETTLE", "18.00", null, null, "ACTIVE");
        String retailer = "ret-" + UUID.randomUUID();
        String token = TestTokens.retailer(retailer);
        rule(retailer, "{\"method\":\"FIXED_AMOUNT\",\"amount\":10,\"tolerancePercent\":10}");
        String listingId = given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"storeId\":\"st-9\",\"products\":[" + item(supplier, "KETTLE") + "]}")
                .post("/api/listings/imports")
                .then()
                .statusCode(200)
                .body("items[0].price", equalTo("30.00"))
                .extract()
                .path("items[0].listingId");

        // 18 -> 19: landed 21, price 31.00, a 3.33% move: live at once, and pushed.
        product(supplier, "KETTLE", "19.00", null, null, "ACTIVE");
        assertEquals(
                "st-9", listingEventPriced(listingId, "31.00").get("storeId").asText());

        // 19 -> 28: price 40.00, a 29% move beyond the 10% tolerance: it waits for the retailer.
        product(supplier, "KETTLE", "28.00", null, null, "ACTIVE");
        long changeId = awaitPending(token, listingId);
        given().auth()
                .oauth2(token)
                .queryParam("status", "PENDING")
                .get("/api/listings/price-changes")
                .then()
                .statusCode(200)
                .body("items.find { it.id == " + changeId + " }.newPrice", equalTo("40.00"))
                .body("items.find { it.id == " + changeId + " }.oldPrice", equalTo("31.00"))
                .body(
                        "items.find { it.id == " + changeId + " }.reason",
                        containsString("beyond the retailer's 10% tolerance"));
        // The retailer is told (PriceChangeWaiting, for the gateway's notifications).
        String waiting = io.dropship.testkit.TopicProbe.await(
                        "PriceChangeWaiting", r -> listingId.equals(r.key()), java.time.Duration.ofSeconds(30))
                .value();
        io.dropship.contracts.ContractCheck.assertValid("PriceChangeWaiting", waiting);
        assertTrue(
                waiting.contains("\"changeId\":" + changeId) || waiting.contains("\"changeId\": " + changeId), waiting);
        given().auth()
                .oauth2(token)
                .get("/api/listings")
                .then()
                .body("items.find { it.listingId == '" + listingId + "' }.price", equalTo("31.00"));

        // Another retailer cannot decide it; the retailer approves it, and the new price is pushed.
        given().auth()
                .oauth2(TestTokens.retailer("ret-other"))
                .post("/api/listings/price-changes/" + changeId + "/approve")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(token)
                .post("/api/listings/price-changes/" + changeId + "/approve")
                .then()
                .statusCode(200)
                .body("status", equalTo("APPROVED"));
        assertEquals(
                "st-9", listingEventPriced(listingId, "40.00").get("storeId").asText());
        given().auth()
                .oauth2(token)
                .post("/api/listings/price-changes/" + changeId + "/reject")
                .then()
                .statusCode(409)
                .body("detail", containsString("is APPROVED, not PENDING"));

        // 28 -> 10: price 22.00, a 45% drop: queued; rejected, the listing keeps 40.00.
        product(supplier, "KETTLE", "10.00", null, null, "ACTIVE");
        long second = awaitPending(token, listingId);
        given().auth()
                .oauth2(token)
                .post("/api/listings/price-changes/" + second + "/reject")
                .then()
                .statusCode(200)
                .body("status", equalTo("REJECTED"));
        given().auth()
                .oauth2(token)
                .get("/api/listings")
                .then()
                .body("items.find { it.listingId == '" + listingId + "' }.price", equalTo("40.00"));
        given().auth()
                .oauth2(token)
                .post("/api/listings/price-changes/999999999/approve")
                .then()
                .statusCode(404);
    }

    static long awaitPending(String token, String listingId) {
        List<Number> ids = org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(60))
                .until(
                        () -> given().auth()
                                .oauth2(token)
                                .queryParam("status", "PENDING")
                                .get("/api/listings/price-changes")
                                .then()
                                .statusCode(200)
                                .extract()
                                .<List<Number>>path("items.findAll { it.listingId == '" + listingId + "' }.id"),
                        found -> !found.isEmpty());
        return ids.get(0).longValue();
    }
}
