package io.dropship.gateway.stores;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
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
 * ListingChanged becomes a product in the retailer's store: Shopify productSet, WooCommerce products/batch, checked
 * at fake stores that speak the stores' wire format; the store's ids are kept, a later version updates the same
 * product, an older one changes nothing, refusals show as ERROR with the store's words, throttling is retried.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
@QuarkusTestResource(FakeStoresTestResource.class)
class ListingSyncIT {

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

    /** A ListingChanged as catalog-service publishes it, held to its contract. */
    private void listing(String listingId, String storeId, String sku, String price, Instant changedAt) {
        try {
            ObjectNode e = (ObjectNode) JSON.readTree(ContractCheck.example("ListingChanged"));
            e.put("listingId", listingId)
                    .put("retailerId", retailer)
                    .put("storeId", storeId)
                    .put("sku", sku)
                    .put("title", "Lamp " + sku)
                    .put("price", price)
                    .put("compareAtPrice", "49.00")
                    .put("changedAt", changedAt.toString());
            e.putArray("images").add("https://cdn.example.com/" + sku + ".jpg");
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

    private JsonNode listings(String storeId) {
        try {
            return JSON.readTree(given().auth()
                            .oauth2(TestTokens.retailer(retailer))
                            .queryParam("limit", 500)
                            .get("/api/stores/" + storeId + "/listings")
                            .then()
                            .statusCode(200)
                            .extract()
                            .asString())
                    .get("items");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode listing(String storeId, String listingId) {
        for (JsonNode l : listings(storeId)) {
            if (l.get("listingId").asText().equals(listingId)) {
                return l;
            }
        }
        return null;
    }

    private void awaitSync(String storeId, String listingId, String status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode l = listing(storeId, listingId);
            return l != null && l.get("syncStatus").asText().equals(status);
        });
    }

    /** A Shopify orders/paid webhook whose first line is the variant given, without a SKU; answers the order id. */
    private String shopifyOrder(String shop, String variantId) {
        try (java.io.InputStream in = ListingSyncIT.class.getResourceAsStream("/webhooks/shopify-order.json")) {
            ObjectNode order = (ObjectNode) JSON.readTree(in);
            order.put("id", Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000_000L));
            ObjectNode line = (ObjectNode) order.get("line_items").get(0);
            line.put("variant_id", Long.parseLong(variantId));
            line.putNull("sku");
            byte[] body = order.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return given().contentType(ContentType.JSON)
                    .header("X-Shopify-Hmac-Sha256", io.dropship.gateway.domain.WebhookSignature.sign(SECRET, body))
                    .header("X-Shopify-Shop-Domain", shop)
                    .header("X-Shopify-Topic", "orders/paid")
                    .header("X-Shopify-Webhook-Id", UUID.randomUUID().toString())
                    .header("X-Shopify-Triggered-At", Instant.now().toString())
                    .body(body)
                    .post("/webhooks/shopify")
                    .then()
                    .statusCode(200)
                    .body("outcome", equalTo("ORDER_ACCEPTED"))
                    .extract()
                    .path("orderId");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aListingBecomesAShopifyProductAndALaterVersionUpdatesTheSameVariant() {
        String shop = "lst-" + run + ".myshopify.com";
        String storeId = connect("SHOPIFY", shop, "shpat_" + run);
        FakeShopify fake = fakes.shopify(shop, "shpat_" + run);
        String listingId = "lst-" + run;
        Instant t0 = Instant.parse("2026-11-20T10:00:00Z");
        listing(listingId, storeId, "LAMP-" + run, "24.99", t0);
        awaitSync(storeId, listingId, "SYNCED");

        FakeShopify.Product product = fake.products().get(0);
        assertEquals("Lamp LAMP-" + run, product.title());
        assertEquals("LAMP-" + run, product.sku());
        assertEquals("24.99", product.price());
        assertEquals("49.00", product.compareAtPrice());
        assertEquals("ACTIVE", product.status());
        assertEquals(List.of("https://cdn.example.com/LAMP-" + run + ".jpg"), product.images());
        JsonNode view = listing(storeId, listingId);
        assertEquals(product.id(), view.get("storeProductId").asText());
        assertEquals(product.variantId(), view.get("storeVariantId").asText());

        // A newer price is set on the same product and variant, through one throttled answer.
        fake.throttleNext(1, "productSet");
        listing(listingId, storeId, "LAMP-" + run, "27.99", t0.plusSeconds(60));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fake.products().get(0).price().equals("27.99"));
        awaitSync(storeId, listingId, "SYNCED");
        assertEquals(1, fake.products().size());
        assertEquals(product.variantId(), fake.products().get(0).variantId());
        assertEquals(1, fake.products().get(0).updates());

        // An order for the product's variant, sent by the store without a SKU, maps to the listing.
        String orderId = shopifyOrder(shop, product.variantId().substring("gid://shopify/ProductVariant/".length()));
        JsonNode placed =
                TopicProbe.json(TopicProbe.await("OrderPlaced", r -> orderId.equals(r.key()), Duration.ofSeconds(30)));
        assertEquals(listingId, placed.at("/lines/0/listingId").asText());
        assertEquals("LAMP-" + run, placed.at("/lines/0/sku").asText());
        assertEquals("STORE-TEE", placed.at("/lines/1/sku").asText());
        assertTrue(placed.at("/lines/1/listingId").isNull()
                || placed.at("/lines/1/listingId").isMissingNode());

        // An older version arriving late changes nothing.
        listing(listingId, storeId, "LAMP-" + run, "19.99", t0.plusSeconds(30));
        listing("lst-marker-" + run, storeId, "MARK-" + run, "5.00", t0);
        awaitSync(storeId, "lst-marker-" + run, "SYNCED");
        assertEquals("27.99", listing(storeId, listingId).get("price").asText());
        assertEquals(
                "27.99",
                fake.products().stream()
                        .filter(p -> p.sku().equals("LAMP-" + run))
                        .findFirst()
                        .orElseThrow()
                        .price());

        List<FakeStores.Call> calls = fakes.calls("/shopify/" + shop + "/");
        assertTrue(calls.stream()
                .allMatch(
                        c -> c.method().equals("POST") && ("shpat_" + run).equals(c.header("X-Shopify-Access-Token"))));
        JsonNode set = calls.stream()
                .map(FakeStores.Call::json)
                .filter(j -> j.path("query").asText().contains("productSet"))
                .reduce((a, b) -> b)
                .orElseThrow();
        assertEquals(true, set.at("/variables/synchronous").asBoolean());
        assertEquals("IMAGE", set.at("/variables/input/files/0/contentType").asText());
    }

    @Test
    void wooCommerceListingsGoInBatchesAndARefusedOneShowsTheStoresMessage() {
        Rows.execute(
                "insert into account (id, email, password_hash, kind, tenant_id, role, created_at, updated_at)"
                        + " values (gen_random_uuid(), ?, 'x', 'RETAILER', ?, 'OWNER', now(), now())",
                "owner-" + run + "@shop.example",
                retailer);
        FakeWooCommerce fake = fakes.woo("lst-" + run, "ck_" + run, "cs_" + run);
        String storeId = connect("WOOCOMMERCE", fakes.wooSiteUrl("lst-" + run), "ck_" + run + ":cs_" + run);
        Instant t = Instant.parse("2026-11-20T10:00:00Z");
        fake.failNext(429, 1, "products/batch");
        for (int i = 0; i < 150; i++) {
            listing("lst-" + run + "-" + i, storeId, "W-" + run + "-" + i, "12.99", t);
        }
        // A second listing under a SKU the site already has: WooCommerce refuses that item alone.
        listing("lst-" + run + "-dup", storeId, "W-" + run + "-0", "12.99", t);
        await().atMost(Duration.ofSeconds(60)).until(() -> fake.products().size() == 150);
        awaitSync(storeId, "lst-" + run + "-149", "SYNCED");
        awaitSync(storeId, "lst-" + run + "-dup", "ERROR");

        JsonNode dup = listing(storeId, "lst-" + run + "-dup");
        assertTrue(dup.get("lastError").asText().contains("Invalid or duplicated SKU."), dup.toString());
        // The retailer's team hears of the refusal (LISTING_SYNC_ERROR); a retried 429 is no news.
        Rows.await(
                "select 1 from notification n join account a on a.id = n.account_id where a.tenant_id = ?"
                        + " and n.kind = 'LISTING_SYNC_ERROR' and n.subject_id = ? and n.body like '%Invalid or duplicated SKU.%'",
                retailer, "lst-" + run + "-dup");
        assertEquals(
                1,
                Rows.count(
                        "select count(*) from notification n join account a on a.id = n.account_id"
                                + " where a.tenant_id = ? and n.kind = 'LISTING_SYNC_ERROR'",
                        retailer));
        assertTrue(dup.get("nextAttemptAt").isNull(), "a refused item waits for a new version or a retry");
        FakeWooCommerce.Product first = fake.products().stream()
                .filter(p -> p.sku().equals("W-" + run + "-0"))
                .findFirst()
                .orElseThrow();
        assertEquals("12.99", first.regularPrice());
        assertEquals("publish", first.status());
        assertEquals(
                String.valueOf(first.id()),
                listing(storeId, "lst-" + run + "-0").get("storeProductId").asText());

        List<FakeStores.Call> batches = fakes.calls("/woo/lst-" + run + "/wp-json/wc/v3/products/batch");
        assertTrue(batches.size() < 150, "listings share batch calls: " + batches.size());
        assertTrue(batches.stream()
                .allMatch(c ->
                        c.json().path("create").size() + c.json().path("update").size() <= 100));
        assertTrue(batches.stream().anyMatch(c -> c.status() == 429), "the 429 was answered and retried");

        // A new price is an update of the same product; a retailer's retry of the refused one is accepted.
        listing("lst-" + run + "-0", storeId, "W-" + run + "-0", "13.49", t.plusSeconds(5));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fake.products().stream()
                        .anyMatch(p -> p.id() == first.id() && p.regularPrice().equals("13.49")));
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .post("/api/stores/" + storeId + "/listings/lst-" + run + "-dup/sync")
                .then()
                .statusCode(202);
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .post("/api/stores/" + storeId + "/listings/lst-" + run + "-1/sync")
                .then()
                .statusCode(409);
        given().auth()
                .oauth2(TestTokens.retailer("ret-other"))
                .get("/api/stores/" + storeId + "/listings")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .queryParam("syncStatus", "LOST")
                .get("/api/stores/" + storeId + "/listings")
                .then()
                .statusCode(400);
    }

    @Test
    void manyShopifyListingsGoAtTheShopsCostBudgetWithoutBeingThrottled() {
        String shop = "budget-" + run + ".myshopify.com";
        String storeId = connect("SHOPIFY", shop, "shpat_" + run);
        // A shop whose bucket holds 100 points and regains 100 a second: 60 productSets of 10 points each cannot all
        // go at once; the first ten can, the rest only as the bucket refills, and any call sent without the points
        // would be answered THROTTLED.
        FakeShopify fake = fakes.shopify(shop, "shpat_" + run).budget(100, 100);
        Instant t0 = Instant.parse("2026-11-20T10:00:00Z");
        for (int i = 0; i < 60; i++) {
            listing("lst-b" + i + "-" + run, storeId, "BUD-" + i + "-" + run, "9.99", t0);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> fake.products().size() == 60);
        for (int i = 0; i < 60; i++) {
            awaitSync(storeId, "lst-b" + i + "-" + run, "SYNCED");
        }
        assertEquals(0, fake.calls().get("throttled"), "no call was sent without the points for it");
        assertEquals(60, fake.calls().get("graphql"), "one productSet per listing, none repeated");
    }

    @Test
    void aShopifyProductWhoseCreationAnswerWasLostIsNotCreatedTwice() {
        String shop = "lost-" + run + ".myshopify.com";
        String storeId = connect("SHOPIFY", shop, "shpat_" + run);
        FakeShopify fake = fakes.shopify(shop, "shpat_" + run).loseNextAnswer("productSet");
        String listingId = "lost-" + run;
        listing(listingId, storeId, "LOST-" + run, "24.99", Instant.parse("2026-11-20T10:00:00Z"));
        awaitSync(storeId, listingId, "SYNCED");

        assertEquals(1, fake.products().size(), "the retry upserts the product the lost call made");
        FakeShopify.Product product = fake.products().get(0);
        assertEquals("dropship-" + listingId, product.handle());
        assertEquals(
                product.id(), listing(storeId, listingId).get("storeProductId").asText());
        assertEquals(
                2,
                fakes.calls("/shopify/" + shop + "/").stream()
                        .filter(c -> c.json().path("query").asText().contains("productSet"))
                        .count(),
                "one lost call, one retry");
        assertTrue(
                fakes.calls("/shopify/" + shop + "/").stream().anyMatch(c -> c.status() == -1), "the answer was lost");
    }

    @Test
    void aStoreAnswerLargerThanTheCapIsNotReadAndTheListingShowsWhy() {
        String shop = "huge-" + run + ".myshopify.com";
        String storeId = connect("SHOPIFY", shop, "shpat_h" + run);
        // 9 MiB of answer, past the 8 MiB the gateway reads of any store answer.
        fakes.shopify(shop, "shpat_h" + run).padNextAnswer("productSet", 9 * 1024 * 1024);
        String listingId = "huge-" + run;
        listing(listingId, storeId, "HUGE-" + run, "24.99", Instant.parse("2026-11-20T10:00:00Z"));
        awaitSync(storeId, listingId, "ERROR");

        assertTrue(
                listing(storeId, listingId)
                        .get("lastError")
                        .asText()
                        .contains("the store's answer was larger than 8388608 bytes; it was not read"),
                listing(storeId, listingId).toString());
    }

    @Test
    void aWooCommerceProductWhoseCreationAnswerWasLostIsFoundBySkuAndUpdated() {
        String siteName = "lostwoo-" + run;
        String storeId = connect("WOOCOMMERCE", fakes.wooSiteUrl(siteName), "ck_" + run + ":cs_" + run);
        FakeWooCommerce woo = fakes.woo(siteName, "ck_" + run, "cs_" + run).loseNextAnswer("products/batch");
        String listingId = "lostwoo-" + run;
        listing(listingId, storeId, "LOSTWOO-" + run, "24.99", Instant.parse("2026-11-20T10:00:00Z"));
        awaitSync(storeId, listingId, "SYNCED");

        assertEquals(
                1,
                woo.products().size(),
                "the store refused the second create for its SKU; the gateway took that product");
        FakeWooCommerce.Product product = woo.products().get(0);
        assertEquals(
                String.valueOf(product.id()),
                listing(storeId, listingId).get("storeProductId").asText());
        List<JsonNode> batches = fakes.calls("/woo/" + siteName + "/").stream()
                .filter(c -> c.path().endsWith("/products/batch"))
                .map(FakeStores.Call::json)
                .toList();
        assertEquals(3, batches.size(), "lost create, create refused for the SKU, update of the product found");
        assertTrue(batches.get(1).has("create"));
        assertEquals(
                product.id(), batches.get(2).path("update").get(0).path("id").asLong());
    }

    @Test
    void aListingForAStoreTheRetailerHasNotConnectedIsAnErrorWithNothingSent() {
        String shop = "other-" + run + ".myshopify.com";
        String storeId = connect("SHOPIFY", shop, "shpat_o" + run);
        String listingId = "lst-foreign-" + run;
        try {
            ObjectNode e = (ObjectNode) JSON.readTree(ContractCheck.example("ListingChanged"));
            e.put("listingId", listingId)
                    .put("retailerId", "ret-somebody-else")
                    .put("storeId", storeId)
                    .put("changedAt", Instant.now().toString());
            TopicProbe.send(
                    "ListingChanged",
                    listingId,
                    e.toString(),
                    Map.of("id", UUID.randomUUID().toString()));
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
        awaitSync(storeId, listingId, "ERROR");
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .queryParam("syncStatus", "ERROR")
                .get("/api/stores/" + storeId + "/listings")
                .then()
                .statusCode(200)
                .body("items[0].lastError", containsString("is not a connected store of retailer ret-somebody-else"))
                .body("items[0].storeProductId", nullValue())
                .body("items[0].syncStatus", equalTo("ERROR"));
        assertTrue(fakes.calls("/shopify/" + shop + "/").isEmpty());
    }

    @Test
    void aBurstWithRepeatsLateVersionsAndPoisonKeepsEachListingsNewestAndDeadLettersThePoison() {
        String shop = "burst-" + run + ".myshopify.com";
        String storeId = connect("SHOPIFY", shop, "shpat_b" + run);
        fakes.shopify(shop, "shpat_b" + run);
        Instant t0 = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        int n = 60;
        String noTitle = UUID.randomUUID().toString();
        String notJson = UUID.randomUUID().toString();
        for (int i = 0; i < n; i++) {
            String id = "lst-burst-" + run + "-" + i;
            listing(id, storeId, "BURST-" + i, "10.00", t0.plusSeconds(1));
            if (i % 2 == 0) {
                // Older than the version already sent: changes nothing, in the same poll or a later one.
                listing(id, storeId, "BURST-" + i, "5.00", t0);
            }
            if (i % 3 == 0) {
                // Newer, then the same event again.
                listing(id, storeId, "BURST-" + i, "12.00", t0.plusSeconds(2));
                listing(id, storeId, "BURST-" + i, "12.00", t0.plusSeconds(2));
            }
            if (i == n / 2) {
                TopicProbe.send(
                        "ListingChanged",
                        "lst-no-title-" + run,
                        "{\"listingId\":\"lst-no-title-" + run + "\",\"retailerId\":\"" + retailer
                                + "\",\"sku\":\"X\",\"storeId\":\"" + storeId + "\",\"price\":\"1.00\",\"changedAt\":\""
                                + t0 + "\"}",
                        Map.of("id", noTitle, "eventType", "ListingChanged"));
                TopicProbe.send(
                        "ListingChanged",
                        "lst-not-json-" + run,
                        "{not json",
                        Map.of("id", notJson, "eventType", "ListingChanged"));
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> listings(storeId).size() == n);
        JsonNode kept = listings(storeId);
        for (JsonNode l : kept) {
            int i = Integer.parseInt(l.get("sku").asText().substring("BURST-".length()));
            assertEquals(
                    0,
                    new java.math.BigDecimal(i % 3 == 0 ? "12.00" : "10.00")
                            .compareTo(new java.math.BigDecimal(l.get("price").asText())),
                    l.toString());
            assertEquals(
                    t0.plusSeconds(i % 3 == 0 ? 2 : 1),
                    Instant.parse(l.get("changedAt").asText()),
                    l.toString());
        }
        for (String[] dead : new String[][] {
            {noTitle, "without listing id, retailer, SKU, title or time"}, {notJson, "cannot be read"}
        }) {
            org.apache.kafka.clients.consumer.ConsumerRecord<String, String> letter = TopicProbe.await(
                    "ListingChanged.integration-gateway.DLT",
                    r -> TopicProbe.header(r, "id").orElse("").equals(dead[0]),
                    Duration.ofSeconds(30));
            String reason = TopicProbe.header(letter, "dead-letter-reason").orElseThrow();
            assertTrue(reason.contains(dead[1]), reason);
        }
        // Every listing goes into the store, the newest version each.
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode all = listings(storeId);
            for (JsonNode l : all) {
                if (!l.get("syncStatus").asText().equals("SYNCED")) {
                    return false;
                }
            }
            return all.size() == n;
        });
    }
}
