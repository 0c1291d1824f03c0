package io.dropship.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class CatalogSearchIT {

    private static final String RETAILER = TestTokens.retailer("ret-search");

    static String supplier(String region) {
        String id = given().contentType(ContentType.JSON)
                .body("{\"companyName\":\"Search Co\",\"contactEmail\":\"" + UUID.randomUUID() + "@s.test\","
                        + "\"businessType\":\"DISTRIBUTOR\",\"shipFromRegion\":\"" + region + "\"}")
                .post("/api/suppliers")
                .then()
                .statusCode(201)
                .extract()
                .path("supplierId");
        SupplierOnboardingIT.verify(id);
        SupplierOnboardingIT.setStatus(id, "ACTIVE", null);
        return id;
    }

    static void product(
            String supplierId,
            String sku,
            String title,
            String description,
            String price,
            String category,
            String status) {
        given().auth()
                .oauth2(TestTokens.supplier(supplierId))
                .contentType(ContentType.JSON)
                .body("{\"title\":\"" + title + "\",\"description\":\"" + description + "\",\"wholesalePrice\":\""
                        + price
                        + "\",\"shippingCost\":\"2.00\",\"currency\":\"USD\",\"category\":\"" + category
                        + "\",\"status\":\""
                        + status + "\"}")
                .put("/api/supplier/products/" + sku)
                .then()
                .statusCode(200);
    }

    /** query: name=value pairs joined by &amp;, unencoded. */
    static Response search(String query) {
        var request = given().auth().oauth2(RETAILER);
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            request = request.queryParam(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return request.get("/api/catalog/products");
    }

    @Test
    void wordsAreSearchedInTitlesAndDescriptionsAndTitlesRankFirst() {
        String s = supplier("US-CA");
        product(s, "M1", "Ceramic Coffee Mug", "Holds 12 oz of coffee", "4.00", "Home > Kitchen > Mugs", "ACTIVE");
        product(s, "M2", "Stainless Travel Mug", "Keeps tea hot", "9.00", "Home > Kitchen > Mugs", "ACTIVE");
        product(
                s,
                "B1",
                "Bamboo Cutting Board",
                "A board for coffee beans and bread",
                "12.00",
                "Home > Kitchen",
                "ACTIVE");

        search("supplierId=" + s + "&q=mug")
                .then()
                .statusCode(200)
                .body("matchedBy", equalTo("WORDS"))
                .body("items.product.sku", org.hamcrest.Matchers.containsInAnyOrder("M1", "M2"));
        search("supplierId=" + s + "&q=coffee")
                .then()
                .statusCode(200)
                .body("items.product.sku", contains("M1", "B1")); // a title match outranks a description match
        search("supplierId=" + s + "&q=coffee -mug").then().body("items.product.sku", contains("B1"));
        search("supplierId=" + s + "&q=cofee mugg")
                .then()
                .statusCode(200)
                .body("matchedBy", equalTo("SIMILAR"))
                .body("correctedQuery", equalTo("coffee mug"))
                .body("items.product.sku", contains("M1"));
        search("supplierId=" + s + "&q=mug").then().body("correctedQuery", nullValue());
        search("supplierId=" + s + "&q=zeppelin").then().statusCode(200).body("items", empty());
        search("supplierId=" + s + "&q=mug")
                .then()
                .body("items[0].supplierName", equalTo("Search Co"))
                .body("items[0].shipFromRegion", equalTo("US-CA"))
                .body("items[0].product.category", equalTo("Home > Kitchen > Mugs"));
    }

    @Test
    void filtersNarrowByCategoryPriceSupplierRegionAndStock() {
        String us = supplier("US-CA");
        String de = supplier("DE");
        product(us, "LAMP-1", "Desk Lamp", "LED", "15.00", "Home > Lighting", "ACTIVE");
        product(us, "LAMP-2", "Floor Lamp", "LED", "45.00", "Home > Lighting > Floor", "ACTIVE");
        product(us, "PAN-1", "Frying Pan", "Cast iron", "25.00", "Home > Kitchen", "ACTIVE");
        product(de, "LAMP-9", "Lamp Berlin", "LED", "30.00", "Home > Lighting", "ACTIVE");
        product(de, "LAMP-X", "Lamp Retired", "LED", "30.00", "Home > Lighting", "DISCONTINUED");

        search("supplierId=" + us + "&category=Home > Lighting")
                .then()
                .body("items.product.sku", org.hamcrest.Matchers.containsInAnyOrder("LAMP-1", "LAMP-2"));
        search("supplierId=" + us + "&category=Home > Light").then().body("items", empty());
        search("supplierId=" + us + "&minPrice=20&maxPrice=45")
                .then()
                .body("items.product.sku", org.hamcrest.Matchers.containsInAnyOrder("LAMP-2", "PAN-1"));
        search("q=lamp&shipsFrom=DE&supplierId=" + de).then().body("items.product.sku", contains("LAMP-9"));
        search("q=lamp&shipsFrom=US&supplierId=" + de).then().body("items", empty());
        search("q=lamp&shipsFrom=US-CA&supplierId=" + us).then().body("items.product.sku", hasItem("LAMP-1"));
        // A region takes its sub-regions, not regions that merely share a prefix.
        search("q=lamp&shipsFrom=US&sort=PRICE_ASC&supplierId=" + us)
                .then()
                .body("items.product.sku", contains("LAMP-1", "LAMP-2"));
        search("q=lamp&shipsFrom=US-C&supplierId=" + us).then().body("items", empty());
        search("category=Home&shipsFrom=DE&sort=PRICE_DESC&supplierId=" + de)
                .then()
                .body("items.product.sku", contains("LAMP-9"));
        search("category=Home&shipsFrom=DE&supplierId=" + us).then().body("items", empty());

        // Stock comes from inventory-service's StockChanged; a product without stock is not in stock.
        search("supplierId=" + us + "&inStock=true").then().body("items", empty());
        stock(us, "LAMP-1", 7, Instant.now());
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> search("supplierId=" + us + "&inStock=true")
                        .then()
                        .body("items.product.sku", contains("LAMP-1"))
                        .body("items[0].product.inStock", equalTo(true)));
        // An older change arriving late does not undo a newer one.
        stock(us, "LAMP-1", 0, Instant.now().minusSeconds(60));
        stock(us, "PAN-1", 3, Instant.now());
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> search("supplierId=" + us + "&inStock=true&sort=PRICE_ASC")
                        .then()
                        .body("items.product.sku", contains("LAMP-1", "PAN-1")));
        stock(us, "LAMP-1", 0, Instant.now());
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> search("supplierId=" + us + "&inStock=true")
                        .then()
                        .body("items.product.sku", contains("PAN-1")));
        // A burst taken in one batch: each product's newest change counts whatever order they arrive in; a record
        // that cannot be read goes to the dead-letter topic and the rest are kept.
        Instant now = Instant.now();
        String garbled = UUID.randomUUID().toString();
        stock(us, "LAMP-1", 4, now.plusMillis(2));
        TopicProbe.send(
                "StockChanged", us + ":LAMP-1", "{\"supplierId\":", Map.of("id", garbled, "eventType", "StockChanged"));
        stock(us, "LAMP-1", 0, now.plusMillis(1));
        stock(us, "PAN-1", 5, now.plusMillis(1));
        stock(us, "PAN-1", 0, now.plusMillis(2));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> search("supplierId=" + us + "&inStock=true")
                        .then()
                        .body("items.product.sku", contains("LAMP-1")));
        String reason = TopicProbe.header(
                        TopicProbe.await(
                                "StockChanged.catalog-service.DLT",
                                r -> TopicProbe.header(r, "id").orElse("").equals(garbled),
                                Duration.ofSeconds(30)),
                        "dead-letter-reason")
                .orElseThrow();
        org.junit.jupiter.api.Assertions.assertTrue(reason.contains("cannot be read"), reason);

        // Products of a suspended supplier are not offered.
        SupplierOnboardingIT.setStatus(de, "SUSPENDED", "audit");
        search("supplierId=" + de).then().body("items", empty());
    }

    static void stock(String supplierId, String sku, int available, Instant at) {
        TopicProbe.send(
                "StockChanged",
                supplierId + ":" + sku,
                "{\"supplierProductId\":\"" + supplierId + ":" + sku
                        + "\",\"supplierId\":\"" + supplierId + "\",\"sku\":\"" + sku + "\",\"onHand\":" + available
                        + ",\"reserved\":0,\"available\":" + available
                        + ",\"lowStock\":false,\"reason\":\"SUPPLIER_UPDATE\","
                        + "\"changedAt\":\"" + at + "\"}",
                Map.of("id", UUID.randomUUID().toString(), "eventType", "StockChanged", "occurredAt", at.toString()));
    }

    @Test
    void cursorsPageThroughEverySortWithoutRepeatsOrGaps() {
        String s = supplier("US");
        for (int i = 0; i < 7; i++) {
            product(s, "P" + i, "Pager item " + i, "paging", (10 + i % 3) + ".00", "Paging", "ACTIVE");
        }
        for (String sort : List.of("PRICE_ASC", "PRICE_DESC", "NEWEST", "RELEVANCE")) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                Response r = search("supplierId=" + s + "&q=pager&limit=3&sort=" + sort
                        + (cursor == null ? "" : "&cursor=" + cursor));
                r.then().statusCode(200);
                seen.addAll(r.jsonPath().getList("items.product.sku"));
                cursor = r.jsonPath().getString("nextCursor");
                pages++;
                if (pages == 1) {
                    // A product added while paging does not shift later pages.
                    product(s, "P-NEW-" + sort, "Pager item new", "paging", "0.50", "Paging", "ACTIVE");
                }
            } while (cursor != null);
            assertEquals(
                    7,
                    seen.stream().filter(x -> !x.startsWith("P-NEW")).distinct().count(),
                    sort + ": " + seen);
            assertEquals(seen.size(), seen.stream().distinct().count(), sort + " repeated a product: " + seen);
        }
        List<String> asc = search("supplierId=" + s + "&q=pager&sort=PRICE_ASC&limit=100")
                .jsonPath()
                .getList("items.product.wholesalePrice");
        assertEquals(
                asc.stream()
                        .sorted((a, b) -> new java.math.BigDecimal(a).compareTo(new java.math.BigDecimal(b)))
                        .toList(),
                asc);
    }

    @Test
    void titleMatchesComeFirstAndDescriptionMatchesFollowAcrossPages() {
        String s = supplier("US");
        for (int i = 1; i <= 3; i++) {
            product(s, "T" + i, "Walnut tray " + i, "A tray for the table", "10.00", "Home > Decor", "ACTIVE");
            product(s, "D" + i, "Serving board " + i, "Cut from walnut wood", "10.00", "Home > Decor", "ACTIVE");
        }
        product(s, "X1", "Walnut tray plain", "No lid, no walnut stain", "10.00", "Home > Decor", "DISCONTINUED");

        // One page: the titles' matches, then the descriptions'.
        List<String> all = search("supplierId=" + s + "&q=walnut&limit=10")
                .then()
                .statusCode(200)
                .body("matchedBy", equalTo("WORDS"))
                .body("nextCursor", nullValue())
                .extract()
                .jsonPath()
                .getList("items.product.sku");
        assertEquals(
                List.of("T1", "T2", "T3"), all.subList(0, 3).stream().sorted().toList(), all.toString());
        assertEquals(
                List.of("D1", "D2", "D3"), all.subList(3, 6).stream().sorted().toList(), all.toString());
        assertEquals(6, all.size(), all.toString());

        // Pages that end inside the title tier, exactly at its end, and inside the description tier: the same order.
        for (int limit : List.of(1, 2, 3, 4, 5)) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            do {
                Response r = search(
                        "supplierId=" + s + "&q=walnut&limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor));
                r.then().statusCode(200).body("matchedBy", equalTo("WORDS"));
                seen.addAll(r.jsonPath().getList("items.product.sku"));
                cursor = r.jsonPath().getString("nextCursor");
            } while (cursor != null && seen.size() < 20);
            assertEquals(all, seen, "limit " + limit);
        }

        // The tiers together are exactly the matches: a word left out rules out the product whatever the tier.
        search("supplierId=" + s + "&q=walnut -table")
                .then()
                .body("items.product.sku", org.hamcrest.Matchers.containsInAnyOrder("D1", "D2", "D3"));
        search("supplierId=" + s + "&q=walnut -wood")
                .then()
                .body("items.product.sku", org.hamcrest.Matchers.containsInAnyOrder("T1", "T2", "T3"));

        // A cursor made before the tiers (mode WORDS: every match in one ranking) still pages to the end.
        String legacy = java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("{\"sort\":\"RELEVANCE\",\"mode\":\"WORDS\",\"key\":\"Infinity\","
                                + "\"supplierId\":\"\",\"sku\":\"\"}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        search("supplierId=" + s + "&q=walnut&limit=10&cursor=" + legacy)
                .then()
                .statusCode(200)
                .body("items.product.sku", org.hamcrest.Matchers.hasSize(6));
    }

    @Test
    void misspeltWordsAreCorrectedToTheCatalogsOwnWordsAndPagedAsCorrected() {
        String s = supplier("US");
        for (int i = 1; i <= 5; i++) {
            product(s, "Z" + i, "Zanzibarian hammock " + i, "Woven by hand", "20.00", "Garden > Outdoor", "ACTIVE");
        }
        product(s, "Z9", "Zanzibarian chair", "Woven by hand", "20.00", "Garden > Outdoor", "ACTIVE");

        // Every word misspelt; one that is near no word of the catalog ("qqqq") and an excluded one are left out.
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Response r = search("supplierId=" + s + "&q=zanzibarien hamock qqqq -chair&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            r.then()
                    .statusCode(200)
                    .body("matchedBy", equalTo("SIMILAR"))
                    .body("correctedQuery", equalTo("zanzibarian hammock"));
            seen.addAll(r.jsonPath().getList("items.product.sku"));
            cursor = r.jsonPath().getString("nextCursor");
        } while (cursor != null && seen.size() < 20);
        assertEquals(
                List.of("Z1", "Z2", "Z3", "Z4", "Z5"), seen.stream().sorted().toList(), seen.toString());

        // Words the catalog has that match nothing together are not "corrected" into anything else.
        search("supplierId=" + s + "&q=hammock chair")
                .then()
                .statusCode(200)
                .body("matchedBy", equalTo("WORDS"))
                .body("items", empty());

        // A cursor of the trigram fallback that came before the word list is refused, not misread.
        String old = java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("{\"sort\":\"RELEVANCE\",\"mode\":\"SIMILAR\",\"key\":\"0.5\","
                                + "\"supplierId\":\"x\",\"sku\":\"y\"}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        search("q=hamock&cursor=" + old).then().statusCode(400).body("detail", containsString("cursor"));
    }

    @Test
    void wordsByPriceComeInPriceOrderAcrossPriceBandsAndPages() {
        String s = supplier("DE");
        List<String> prices = List.of(
                "0.00",
                "0.99",
                "2.50",
                "2.50",
                "7.00",
                "15.00",
                "40.00",
                "99.00",
                "250.00",
                "1200.00",
                "5000.00",
                "99999.99");
        for (int i = 0; i < prices.size(); i++) {
            product(s, "PB" + i, "Banded widget " + i, "for sorting", prices.get(i), "Home", "ACTIVE");
        }
        product(s, "PB-X", "Banded widget gone", "for sorting", "3.00", "Home", "DISCONTINUED");
        product(s, "PB-Y", "Plain gadget", "not this one", "3.00", "Home", "ACTIVE");

        for (String sort : List.of("PRICE_ASC", "PRICE_DESC")) {
            for (int limit : List.of(1, 2, 5, 50)) {
                List<String> seen = new ArrayList<>();
                String cursor = null;
                do {
                    Response r = search("supplierId=" + s + "&q=banded widget&shipsFrom=DE&sort=" + sort + "&limit="
                            + limit + (cursor == null ? "" : "&cursor=" + cursor));
                    r.then().statusCode(200).body("matchedBy", equalTo("WORDS"));
                    seen.addAll(r.jsonPath().getList("items.product.wholesalePrice"));
                    cursor = r.jsonPath().getString("nextCursor");
                } while (cursor != null && seen.size() < 40);
                List<String> expected = new ArrayList<>(prices);
                if (sort.equals("PRICE_DESC")) {
                    java.util.Collections.reverse(expected);
                }
                assertEquals(
                        expected,
                        seen.stream()
                                .map(x ->
                                        new java.math.BigDecimal(x).setScale(2).toPlainString())
                                .toList(),
                        sort + ", limit " + limit);
            }
        }
        List<String> between = search("supplierId=" + s + "&q=banded&sort=PRICE_DESC&minPrice=2.50&maxPrice=250")
                .jsonPath()
                .getList("items.product.sku");
        assertEquals(List.of("PB8", "PB7", "PB6", "PB5", "PB4", "PB3", "PB2"), fixTies(between), between.toString());
        // Bounds far outside the catalog's prices start from its dearest (cheapest) product instead.
        search("supplierId=" + s + "&q=banded&sort=PRICE_DESC&maxPrice=99999999&limit=2")
                .then()
                .body("items.product.sku", contains("PB11", "PB10"));
        search("supplierId=" + s + "&q=banded&sort=PRICE_ASC&minPrice=0&limit=2")
                .then()
                .body("items.product.sku", contains("PB0", "PB1"));
        // The typo fallback sorts by price the same way.
        search("supplierId=" + s + "&q=bandd widgett&sort=PRICE_ASC&limit=3")
                .then()
                .body("matchedBy", equalTo("SIMILAR"))
                .body(
                        "items.product.sku",
                        contains(equalTo("PB0"), equalTo("PB1"), org.hamcrest.Matchers.oneOf("PB2", "PB3")));
    }

    /** The two products of one price come in SKU order within it; the expectation lists them one way. */
    private static List<String> fixTies(List<String> skus) {
        List<String> out = new ArrayList<>(skus);
        int a = out.indexOf("PB2");
        int b = out.indexOf("PB3");
        if (a >= 0 && b >= 0 && a < b) {
            out.set(a, "PB3");
            out.set(b, "PB2");
        }
        return out;
    }

    @Test
    void badSearchInputGetsAClearError() {
        search("cursor=not-a-cursor").then().statusCode(400).body("detail", containsString("cursor"));
        String priceCursor = search("sort=PRICE_ASC&limit=1").jsonPath().getString("nextCursor");
        if (priceCursor != null) {
            search("sort=NEWEST&cursor=" + priceCursor)
                    .then()
                    .statusCode(400)
                    .body("detail", containsString("PRICE_ASC"));
        }
        search("sort=RELEVANCE").then().statusCode(400).body("detail", containsString("needs search words"));
        search("minPrice=10&maxPrice=5").then().statusCode(400).body("detail", containsString("minPrice"));
        search("limit=1000").then().statusCode(400);
        search("shipsFrom=usa").then().statusCode(400);
        search("sort=CHEAPEST").then().statusCode(400).body("detail", containsString("sort"));
        search("minPrice=abc").then().statusCode(400).body("detail", containsString("minPrice"));
    }

    @Test
    void aStorefrontBrowsesTheCatalogAndActiveSuppliersProfilesWithoutSigningIn() {
        String s = supplier("GB");
        product(s, "PUB-1", "Public teapot", "Stoneware", "9.00", "Home > Kitchen", "ACTIVE");
        product(s, "PUB-OLD", "Old teapot", "Gone", "9.00", "Home > Kitchen", "DISCONTINUED");
        given().queryParam("supplierId", s)
                .get("/api/catalog/products")
                .then()
                .statusCode(200)
                .body("items.product.sku", contains("PUB-1"))
                .body("items[0].supplierName", equalTo("Search Co"));
        given().get("/api/catalog/products/" + s + ":PUB-1")
                .then()
                .statusCode(200)
                .body("title", equalTo("Public teapot"));
        given().get("/api/catalog/products/" + s + ":PUB-OLD").then().statusCode(404);
        given().get("/api/catalog/suppliers/" + s)
                .then()
                .statusCode(200)
                .body("companyName", equalTo("Search Co"))
                .body("shipFromRegion", equalTo("GB"))
                .body("contactEmail", nullValue())
                .body("$", not(org.hamcrest.Matchers.hasKey("contactPhone")));
        // A supplier that is not active is not in the catalog: neither it nor its products.
        SupplierOnboardingIT.setStatus(s, "SUSPENDED", "quality checks");
        given().get("/api/catalog/suppliers/" + s).then().statusCode(404);
        given().get("/api/catalog/products/" + s + ":PUB-1").then().statusCode(404);
        given().get("/api/catalog/suppliers/sup-nobody").then().statusCode(404);
        // Signed in, every role sees the same catalog.
        given().auth()
                .oauth2(TestTokens.supplier("sup-x"))
                .get("/api/catalog/products")
                .then()
                .statusCode(200);
    }

    @Test
    void theProductBlueprintRoundTripsAndBadFieldsAreNamed() {
        String s = supplier("US");
        given().auth()
                .oauth2(TestTokens.supplier(s))
                .contentType(ContentType.JSON)
                .body("{\"title\":\"Linen Apron\",\"description\":\"Stone washed\",\"wholesalePrice\":\"8.40\","
                        + "\"shippingCost\":\"1.10\",\"currency\":\"USD\",\"msrp\":\"24.00\",\"images\":[\"https://cdn.test/a.jpg\","
                        + "\"https://cdn.test/b.jpg\"],\"category\":\"Home > Kitchen\",\"weightGrams\":240,\"shippingClass\":\"small-parcel\","
                        + "\"attributes\":{\"color\":\"sage\",\"sizes\":3,\"organic\":true}}")
                .put("/api/supplier/products/APRON-1")
                .then()
                .statusCode(200)
                .body("supplierProductId", equalTo(s + ":APRON-1"))
                .body("msrp", equalTo("24.00"))
                .body("images", contains("https://cdn.test/a.jpg", "https://cdn.test/b.jpg"))
                .body("attributes.color", equalTo("sage"))
                .body("attributes.organic", equalTo(true))
                .body("weightGrams", equalTo(240))
                .body("inStock", equalTo(false))
                .body("createdAt", not(nullValue()));
        given().auth()
                .oauth2(RETAILER)
                .get("/api/catalog/products/" + s + ":APRON-1")
                .then()
                .statusCode(200)
                .body("shippingClass", equalTo("small-parcel"));
        given().auth()
                .oauth2(RETAILER)
                .get("/api/catalog/products/" + s + ":NOPE")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestTokens.supplier(s))
                .get("/api/supplier/products?limit=10")
                .then()
                .statusCode(200)
                .body("items.sku", contains("APRON-1"));

        given().auth()
                .oauth2(TestTokens.supplier(s))
                .contentType(ContentType.JSON)
                .body("{\"title\":\"x\",\"wholesalePrice\":\"1.00\",\"shippingCost\":\"0\",\"currency\":\"USD\","
                        + "\"images\":[\"ftp://nope\"],\"weightGrams\":-5}")
                .put("/api/supplier/products/BAD-1")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("images[0]"))
                .body("errors.field", hasItem("weightGrams"));
        given().auth()
                .oauth2(TestTokens.supplier(s))
                .contentType(ContentType.JSON)
                .body("{\"title\":\"x\",\"wholesalePrice\":\"1.00\",\"shippingCost\":\"0\",\"currency\":\"USD\","
                        + "\"attributes\":{\"dims\":{\"w\":1}}}")
                .put("/api/supplier/products/BAD-2")
                .then()
                .statusCode(400)
                .body("detail", containsString("dims"));
        given().auth()
                .oauth2(TestTokens.supplier(s))
                .contentType(ContentType.JSON)
                .body("{\"title\":")
                .put("/api/supplier/products/BAD-3")
                .then()
                .statusCode(400);
    }
}
