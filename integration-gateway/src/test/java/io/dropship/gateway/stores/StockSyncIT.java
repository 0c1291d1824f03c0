package io.dropship.gateway.stores;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.contracts.ContractCheck;
import io.dropship.fakestores.FakeShopify;
import io.dropship.fakestores.FakeStores;
import io.dropship.fakestores.FakeWooCommerce;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.Rows;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Supplier stock reaches the stores that list it: StockChanged on the real broker, the gateway's projection in the
 * real database, and fake stores that speak Shopify's and WooCommerce's wire formats.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
@QuarkusTestResource(FakeStoresTestResource.class)
class StockSyncIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "shpss_0123456789abcdef";

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String retailer = "ret-" + run;
    private final FakeStores fakes = FakeStoresTestResource.fakes();

    private String connect(String platform, String domain, String apiToken) {
        return given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body(Map.of("platform", platform, "shopDomain", domain, "webhookSecret", SECRET, "apiToken", apiToken))
                .post("/api/stores")
                .then()
                .statusCode(201)
                .extract()
                .path("storeId");
    }

    /** A ListingChanged with the given supplier products behind it. */
    private void listing(String listingId, String storeId, String sku, List<String> supplierProducts) {
        try {
            ObjectNode e = (ObjectNode) JSON.readTree(ContractCheck.example("ListingChanged"));
            e.put("listingId", listingId)
                    .put("retailerId", retailer)
                    .put("storeId", storeId)
                    .put("sku", sku)
                    .put("title", "Kettle " + sku)
                    .put("price", "30.00")
                    .put("changedAt", Instant.now().toString());
            var offers = e.putArray("offers");
            for (int i = 0; i < supplierProducts.size(); i++) {
                String[] parts = supplierProducts.get(i).split(":");
                offers.addObject()
                        .put("supplierProductId", supplierProducts.get(i))
                        .put("supplierId", parts[0])
                        .put("sku", parts[1])
                        .put("priority", i);
            }
            ContractCheck.assertValid("ListingChanged", e.toString());
            TopicProbe.send(
                    "ListingChanged",
                    listingId,
                    e.toString(),
                    Map.of("id", UUID.randomUUID().toString(), "eventType", "ListingChanged"));
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** A StockChanged as inventory-service publishes it, held to its contract. */
    private static void stock(String supplierProductId, int available, boolean low, Instant changedAt) {
        TopicProbe.send(
                "StockChanged",
                supplierProductId,
                stockChanged(supplierProductId, available, low, changedAt),
                Map.of("id", UUID.randomUUID().toString(), "eventType", "StockChanged"));
    }

    private static String stockChanged(String supplierProductId, int available, boolean low, Instant changedAt) {
        try {
            ObjectNode e = (ObjectNode) JSON.readTree(ContractCheck.example("StockChanged"));
            String[] parts = supplierProductId.split(":");
            e.put("supplierProductId", supplierProductId)
                    .put("supplierId", parts[0])
                    .put("sku", parts[1])
                    .put("onHand", available)
                    .put("reserved", 0)
                    .put("available", available)
                    .put("shown", available * 90 / 100)
                    .put("showPercent", 90)
                    .put("lowStock", low)
                    .put("reason", "SUPPLIER_UPDATE")
                    .putNull("supplierOrderId")
                    .put("changedAt", changedAt.toString());
            ContractCheck.assertValid("StockChanged", e.toString());
            return e.toString();
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Waits for the condition. When it is slow (past {@code slow}) the log gets where the gateway stood: the listings'
     * stock and sync columns, the supplier stock it took in, and the calls the fake store received; then it waits up to
     * {@code atMost} in all, and fails with the same picture.
     */
    private void awaitOrSayWhere(
            Duration slow,
            Duration atMost,
            java.util.concurrent.Callable<Boolean> condition,
            String listings,
            String supplierProducts,
            String callsTo) {
        java.util.function.Supplier<String> where = () -> "store_listing:\n"
                + Rows.text(
                        "select listing_id,"
                                + " store_variant_id, sync_status, last_error, next_attempt_at, lease_until, stock_target, stock_in_store,"
                                + " stock_pending, stock_next_at, stock_lease_until, stock_attempts, stock_error, now() from store_listing"
                                + " where listing_id like ?",
                        listings)
                + "listing_offer:\n" + Rows.text("select * from listing_offer where listing_id like ?", listings)
                + "stock_view:\n"
                + Rows.text("select * from stock_view where supplier_product_id" + " like ?", supplierProducts)
                + "calls:\n"
                + String.join(
                        "\n",
                        fakes.calls(callsTo).stream()
                                .map(c -> c.at() + " " + c.method() + " " + c.path() + " " + c.status())
                                .toList());
        try {
            await().atMost(slow).until(condition);
            return;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            System.out.println("SLOW: still waiting after " + slow + "; where the gateway stands:\n" + where.get());
        }
        try {
            await().atMost(atMost.minus(slow)).until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + where.get(), e);
        }
    }

    private JsonNode storeStatus(String storeId) {
        try {
            JsonNode all = JSON.readTree(given().auth()
                            .oauth2(TestTokens.retailer(retailer))
                            .get("/api/sync/status")
                            .then()
                            .statusCode(200)
                            .extract()
                            .asString())
                    .get("items");
            for (JsonNode s : all) {
                if (s.get("storeId").asText().equals(storeId)) {
                    return s;
                }
            }
            throw new AssertionError("store " + storeId + " is not in the status");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shopifyGetsTheLatestQuantityComparedWithWhatItHoldsAndKeyedForRetries() {
        String shop = "stk-" + run + ".myshopify.com";
        String storeId = connect("SHOPIFY", shop, "shpat_" + run);
        FakeShopify fake = fakes.shopify(shop, "shpat_" + run);
        String sku = "KET-" + run;
        String a = "supa-" + run + ":K1";
        String b = "supb-" + run + ":K1-ALT";
        Instant t = Instant.parse("2026-11-23T10:00:00Z");
        stock(a, 10, false, t);
        stock(b, 5, false, t);
        listing("lst-" + run, storeId, sku, List.of(a, b));

        // Both suppliers' shown stock: 9 + 4.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Integer.valueOf(13).equals(fake.quantitiesBySku().get(sku)));
        FakeStores.Call set = fakes.calls("/shopify/" + shop + "/").stream()
                .filter(c -> c.body().contains("inventorySetQuantities"))
                .findFirst()
                .orElseThrow();
        JsonNode body = set.json();
        assertTrue(body.get("query").asText().contains("@idempotent(key: $key)"));
        assertEquals(36, body.at("/variables/key").asText().length(), "a UUID-shaped key");
        JsonNode q = body.at("/variables/input/quantities/0");
        assertEquals(FakeShopify.LOCATION, q.get("locationId").asText());
        assertEquals(0, q.get("changeFromQuantity").asInt(), "read from the shop before the first set");

        // Fifty changes in a burst: the shop gets the last, in far fewer calls.
        int callsBefore = fake.inventoryCalls();
        List<Map.Entry<String, String>> burst = new java.util.ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            burst.add(Map.entry(a, stockChanged(a, 100 + i, false, t.plusSeconds(i))));
        }
        TopicProbe.sendAll("StockChanged", burst);
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        Integer.valueOf(135 + 4).equals(fake.quantitiesBySku().get(sku)));
        int calls = fake.inventoryCalls() - callsBefore;
        assertTrue(calls < 10, "50 changes took " + calls + " calls");

        // An older change arriving late changes nothing; the newer one for the other supplier still applies.
        stock(a, 1, false, t.plusSeconds(10));
        stock(b, 20, false, t.plusSeconds(60));
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        Integer.valueOf(135 + 18).equals(fake.quantitiesBySku().get(sku)));

        // The shop sells 3 at checkout: the next set is stale, the gateway reads 150 back and sets its target anyway.
        fake.sell(sku, 3);
        stock(b, 30, false, t.plusSeconds(120));
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        Integer.valueOf(135 + 27).equals(fake.quantitiesBySku().get(sku)));
        // (Counting reads would count the reconciler's too, which runs every 2 s in tests.)
        assertTrue(
                fakes.calls("/shopify/" + shop + "/").stream()
                        .filter(c -> c.body().contains("inventorySetQuantities"))
                        .anyMatch(c -> c.json()
                                        .at("/variables/input/quantities/0/changeFromQuantity")
                                        .asInt()
                                == 150),
                "after the stale set, the next one compares with the 150 read back from the shop");

        // The retailer shows only half of available: 67 + 15.
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body("{\"showPercent\":50,\"outOfStockAction\":\"ZERO\"}")
                .put("/api/stock/settings")
                .then()
                .statusCode(200)
                .body("showPercent", equalTo(50));
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        Integer.valueOf(75 + 15).equals(fake.quantitiesBySku().get(sku)));

        // Sold out, with the retailer hiding sold-out products: 0 and DRAFT; restocked: ACTIVE again.
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body("{\"showPercent\":50,\"outOfStockAction\":\"HIDE\"}")
                .put("/api/stock/settings")
                .then()
                .statusCode(200);
        stock(a, 0, true, t.plusSeconds(200));
        stock(b, 0, true, t.plusSeconds(200));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "DRAFT".equals(fake.products().get(0).status()));
        assertEquals(0, fake.quantitiesBySku().get(sku));
        stock(a, 10, false, t.plusSeconds(300));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "ACTIVE".equals(fake.products().get(0).status()));
        assertEquals(5, fake.quantitiesBySku().get(sku));

        // The sync's status: nothing pending, a last sync time, no errors.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> storeStatus(storeId).get("stockPending").asInt() == 0);
        JsonNode status = storeStatus(storeId);
        assertEquals(1, status.get("listings").asInt());
        assertTrue(status.hasNonNull("lastStockSyncAt"));
        assertEquals(0, status.get("stockErrors").asInt());
    }

    @Test
    void wooCommerceGetsStockInBatchesThroughA429AndHidesSoldOutProductsWhenTheRetailerSaysSo() throws Exception {
        Rows.execute(
                "insert into account (id, email, password_hash, kind, tenant_id, role, created_at,"
                        + " updated_at) values (gen_random_uuid(), ?, 'x', 'RETAILER', ?, 'OWNER', now(), now())",
                "stk-" + run + "@shop.example",
                retailer);
        FakeWooCommerce fake = fakes.woo("stk-" + run, "ck_" + run, "cs_" + run);
        String storeId = connect("WOOCOMMERCE", fakes.wooSiteUrl("stk-" + run), "ck_" + run + ":cs_" + run);
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body("{\"outOfStockAction\":\"HIDE\"}")
                .put("/api/stock/settings")
                .then()
                .statusCode(200);
        Instant t = Instant.parse("2026-11-23T10:00:00Z");
        for (int i = 0; i < 3; i++) {
            stock("supw-" + run + ":W" + i, 20 + i, false, t);
            listing("lst-" + run + "-" + i, storeId, "W-" + run + "-" + i, List.of("supw-" + run + ":W" + i));
        }
        awaitOrSayWhere(
                Duration.ofSeconds(20),
                Duration.ofSeconds(60),
                () -> fake.products().size() == 3 && fake.products().stream().allMatch(p -> p.stockQuantity() != null),
                "lst-" + run + "-%",
                "supw-" + run + ":%",
                "/woo/stk-" + run + "/");
        assertEquals(18, product(fake, "W-" + run + "-0").stockQuantity());
        assertTrue(product(fake, "W-" + run + "-0").manageStock());

        // The site's host answers 429 with Retry-After: the update waits, then goes.
        fake.failNext(429, 1, "products/batch");
        stock("supw-" + run + ":W0", 0, true, t.plusSeconds(5));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Integer.valueOf(0)
                        .equals(product(fake, "W-" + run + "-0").stockQuantity()));
        FakeWooCommerce.Product soldOut = product(fake, "W-" + run + "-0");
        assertEquals("draft", soldOut.status(), "hidden at zero");
        assertEquals("outofstock", soldOut.stockStatus());
        assertTrue(fakes.calls("/woo/stk-" + run + "/").stream().anyMatch(c -> c.status() == 429));

        // Low stock shows in the retailer's list, and its team is told once (LOW_STOCK); restocked, the product is
        // published again.
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/stock/low")
                .then()
                .statusCode(200)
                .body("items.sku", hasItem("W-" + run + "-0"));
        Rows.await(
                "select 1 from notification n join account a on a.id = n.account_id"
                        + " where a.tenant_id = ? and n.kind = 'LOW_STOCK' and n.subject_id = ?",
                retailer,
                "lst-" + run + "-0");
        stock("supw-" + run + ":W0", 0, true, t.plusSeconds(7)); // still low: nobody is told again
        await().during(Duration.ofMillis(1500))
                .atMost(Duration.ofMillis(6500))
                .untilAsserted(() -> assertEquals(
                        1,
                        Rows.count(
                                "select count(*) from notification n join account a on a.id = n.account_id"
                                        + " where a.tenant_id = ? and n.kind = 'LOW_STOCK'",
                                retailer)));
        stock("supw-" + run + ":W0", 40, false, t.plusSeconds(10));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "publish".equals(product(fake, "W-" + run + "-0").status()));
        assertEquals(36, product(fake, "W-" + run + "-0").stockQuantity());
        // Restocked, it is not low any more: running low again tells the retailer again.
        stock("supw-" + run + ":W0", 1, true, t.plusSeconds(12));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Rows.count(
                                "select count(*) from notification n join account a on a.id = n.account_id"
                                        + " where a.tenant_id = ? and n.kind = 'LOW_STOCK'",
                                retailer)
                        == 2);

        // The site loses track (a hand edit, a webhook it never sent): reading it back finds the drift and corrects it.
        fake.sell("W-" + run + "-1", 7);
        assertEquals(11, product(fake, "W-" + run + "-1").stockQuantity());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Integer.valueOf(18)
                        .equals(product(fake, "W-" + run + "-1").stockQuantity()));
        assertTrue(
                fakes.calls("/woo/stk-" + run + "/wp-json/wc/v3/products").stream()
                        .anyMatch(c -> c.method().equals("GET") && c.status() == 200),
                "the stock was read back");
    }

    @Test
    void aWooCommerceStoreTakesManyListingsInBatchesAndAProductGoneFromItFailsAlone() {
        FakeWooCommerce fake = fakes.woo("stkb-" + run, "ck_b" + run, "cs_b" + run);
        String storeId = connect("WOOCOMMERCE", fakes.wooSiteUrl("stkb-" + run), "ck_b" + run + ":cs_b" + run);
        int n = 250;
        Instant t = Instant.parse("2026-11-23T10:00:00Z");
        for (int i = 0; i < n; i++) {
            stock("supb-" + run + ":B" + i, 10 + i, false, t);
            listing("lstb-" + run + "-" + i, storeId, "B-" + run + "-" + i, List.of("supb-" + run + ":B" + i));
        }
        awaitOrSayWhere(
                Duration.ofSeconds(30),
                Duration.ofSeconds(90),
                () -> fake.products().size() == n && fake.products().stream().allMatch(p -> p.stockQuantity() != null),
                "lstb-" + run + "-%",
                "supb-" + run + ":%",
                "/woo/stkb-" + run + "/");

        // Every product changes; one of them was deleted on the site meanwhile. The site takes the other 249 in calls
        // of up to 100 (each call's outcomes recorded with one statement) and refuses the deleted one in its place.
        String gone = "B-" + run + "-7";
        fake.delete(gone);
        for (int i = 0; i < n; i++) {
            stock("supb-" + run + ":B" + i, 100 + i, false, t.plusSeconds(5));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Map<String, Integer> held = fake.quantitiesBySku();
            for (int i = 0; i < n; i++) {
                if (i != 7 && !Integer.valueOf((100 + i) * 90 / 100).equals(held.get("B-" + run + "-" + i))) {
                    return false;
                }
            }
            return true;
        });
        await().atMost(Duration.ofSeconds(15))
                .until(() -> Rows.count(
                                "select count(*) from store_listing where store_id = ? and not stock_pending"
                                        + " and stock_error is null and stock_in_store = stock_target",
                                storeId)
                        == n - 1);
        await().atMost(Duration.ofSeconds(15))
                .until(() ->
                        Rows.text("select stock_error from store_listing where listing_id = ?", "lstb-" + run + "-7")
                                != null);
        assertTrue(
                Rows.text("select stock_error from store_listing where listing_id = ?", "lstb-" + run + "-7")
                        .contains("Invalid ID"),
                "the site's own words are kept");
        assertTrue(fakes.calls("/woo/stkb-" + run + "/").stream().noneMatch(c -> c.status() == 413));
    }

    @Test
    void aNewListingAndItsProductsStockArrivingTogetherAlwaysMeet() throws Exception {
        // Each listing's first ListingChanged and its product's first StockChanged, sent together: the two consumers'
        // transactions commit at the same moment, and each must not miss the other's row (CI once caught a listing
        // left without a target this way).
        String storeId = connect("SHOPIFY", "meet-" + run + ".myshopify.com", "shpat_" + run);
        Instant t = Instant.parse("2026-11-23T10:00:00Z");
        List<Map.Entry<String, String>> stock = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            stock.add(Map.entry("supm-" + run + ":M" + i, stockChanged("supm-" + run + ":M" + i, 10 + i, false, t)));
        }
        for (int i = 0; i < 40; i++) {
            listing("lst-m-" + run + "-" + i, storeId, "M-" + run + "-" + i, List.of("supm-" + run + ":M" + i));
            if (i % 8 == 7) {
                TopicProbe.sendAll("StockChanged", stock.subList(i - 7, i + 1));
            }
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Rows.count(
                                "select count(*) from store_listing"
                                        + " where listing_id like ? and stock_target is not null",
                                "lst-m-" + run + "-%")
                        == 40);
        assertEquals(
                0,
                Rows.count(
                        "select count(*) from store_listing l join listing_offer o on"
                                + " o.listing_id = l.listing_id join stock_view s on s.supplier_product_id = o.supplier_product_id"
                                + " where l.listing_id like ? and l.stock_target <> s.shown",
                        "lst-m-" + run + "-%"));
    }

    @Test
    void aStoreThatRefusesShowsItsMessageAndBadInputIsRefused() {
        String shop = "stkx-" + run + ".myshopify.com";
        String storeId = connect("SHOPIFY", shop, "shpat_" + run);
        FakeShopify fake = fakes.shopify(shop, "shpat_" + run);
        String sku = "X-" + run;
        String sp = "supx-" + run + ":X";
        stock(sp, 10, false, Instant.parse("2026-11-23T10:00:00Z"));
        listing("lst-x-" + run, storeId, sku, List.of(sp));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Integer.valueOf(9).equals(fake.quantitiesBySku().get(sku)));

        // A record on the topic that is not a StockChanged is skipped; the next one applies.
        TopicProbe.send(
                "StockChanged", sp, "not json", Map.of("id", UUID.randomUUID().toString()));
        fake.failNext(403, "inventorySetQuantities");
        stock(sp, 20, false, Instant.parse("2026-11-23T10:01:00Z"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> storeStatus(storeId).get("stockErrors").asInt() == 1);
        JsonNode error = storeStatus(storeId).get("errors").get(0);
        assertEquals("STOCK", error.get("kind").asText());
        assertTrue(error.get("error").asText().startsWith("403"), error.toString());
        // The same figure for Prometheus, per store.
        await().atMost(Duration.ofSeconds(15))
                .until(() -> io.dropship.testkit.Management.given()
                        .get("/q/metrics")
                        .asString()
                        .contains("dropship_store_stock_errors{platform=\"SHOPIFY\",store=\"" + storeId + "\"} 1.0"));

        // The next change goes through and clears the error.
        stock(sp, 30, false, Instant.parse("2026-11-23T10:02:00Z"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Integer.valueOf(27).equals(fake.quantitiesBySku().get(sku)));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> storeStatus(storeId).get("stockErrors").asInt() == 0);

        var retailerCall = given().auth().oauth2(TestTokens.retailer(retailer)).contentType(ContentType.JSON);
        retailerCall
                .body("{\"showPercent\":150,\"outOfStockAction\":\"ZERO\"}")
                .put("/api/stock/settings")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body("{\"outOfStockAction\":\"DELETE\"}")
                .put("/api/stock/settings")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body("{\"outOfStockAction\":")
                .put("/api/stock/settings")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .queryParam("retailerId", "someone-else")
                .get("/api/sync/status")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.supplier("sup-1"))
                .get("/api/sync/status")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.admin())
                .queryParam("retailerId", retailer)
                .get("/api/sync/status")
                .then()
                .statusCode(200)
                .body("items.storeId", hasItem(storeId));
    }

    private static FakeWooCommerce.Product product(FakeWooCommerce fake, String sku) {
        return fake.products().stream()
                .filter(p -> p.sku().equals(sku))
                .findFirst()
                .orElseThrow();
    }
}
