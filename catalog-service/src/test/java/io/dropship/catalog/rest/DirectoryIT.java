package io.dropship.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dropship.contracts.ContractCheck;
import io.dropship.testkit.InfraTestResource;
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
 * The supplier directory: profiles suppliers keep, ratings from order-service's scores and return policies from
 * settlement-service (as their events arrive, the newest kept), search by words, category, region and rating, and the
 * placement admins give featured suppliers.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class DirectoryIT {

    private static void send(String topic, String key, String json) {
        ContractCheck.assertValid(topic, json);
        TopicProbe.send(topic, key, json, Map.of("id", UUID.randomUUID().toString(), "eventType", topic));
    }

    private static void scored(String supplier, String reliability, Instant at) {
        send(
                "SupplierScored",
                supplier,
                "{\"supplierId\":\"" + supplier + "\",\"reliability\":\"" + reliability
                        + "\",\"onTimeRate\":\"0.950\",\"rejectionRate\":\"0.020\",\"caseRate\":\"0.010\",\"orders\":40,"
                        + "\"window\":\"PT720H\",\"scoredAt\":\"" + at + "\"}");
    }

    @Test
    void retailersFindSuppliersByWordsCategoryRegionAndRatingWithFeaturedOnesFirst() {
        String run = "dir" + UUID.randomUUID().toString().substring(0, 8).replace("-", "");
        String a = SupplierOnboardingIT.activeSupplier();
        String b = SupplierOnboardingIT.activeSupplier();
        given().auth()
                .oauth2(TestTokens.supplier(a))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "slug",
                        "ceramics-" + run,
                        "logoUrl",
                        "https://cdn.example.com/logo.png",
                        "description",
                        "Handmade ceramic mugs " + run,
                        "website",
                        "https://ceramics.example.com",
                        "shipFromRegions",
                        List.of("DE")))
                .put("/api/directory/suppliers/" + a + "/profile")
                .then()
                .statusCode(200)
                .body("slug", equalTo("ceramics-" + run))
                .body("rating", nullValue());
        given().auth()
                .oauth2(TestTokens.supplier(b))
                .contentType(ContentType.JSON)
                .body(Map.of("description", "Glassware and more " + run))
                .put("/api/directory/suppliers/" + b + "/profile")
                .then()
                .statusCode(200);
        // Bad input and another's profile are refused.
        given().auth()
                .oauth2(TestTokens.supplier(b))
                .contentType(ContentType.JSON)
                .body(Map.of("slug", "ceramics-" + run))
                .put("/api/directory/suppliers/" + b + "/profile")
                .then()
                .statusCode(409)
                .body("detail", containsString("taken"));
        given().auth()
                .oauth2(TestTokens.supplier(b))
                .contentType(ContentType.JSON)
                .body(Map.of("logoUrl", "javascript:alert(1)"))
                .put("/api/directory/suppliers/" + b + "/profile")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.supplier(b))
                .contentType(ContentType.JSON)
                .body(Map.of("description", "mine now"))
                .put("/api/directory/suppliers/" + a + "/profile")
                .then()
                .statusCode(404);

        // Ratings and return policies arrive by events; an older score delivered late changes nothing.
        Instant now = Instant.now();
        scored(a, "0.900", now);
        scored(a, "0.300", now.minusSeconds(600));
        send(
                "ReturnPolicyChanged",
                a,
                "{\"supplierId\":\"" + a + "\",\"acceptsReturns\":true,\"windowDays\":30,"
                        + "\"refundShipping\":false,\"restockingFeePercent\":\"15.00\",\"returnShippingPaidBy\":\"RETAILER\","
                        + "\"changedAt\":\"" + now + "\"}");
        scored(b, "0.700", now);
        ListingImportIT.product(a, "MUG-" + run, "10.00", null, null, "ACTIVE");
        given().auth()
                .oauth2(TestTokens.supplier(a))
                .contentType(ContentType.JSON)
                .body(
                        "{\"title\":\"Mug\",\"wholesalePrice\":\"5.00\",\"shippingCost\":\"1.00\",\"currency\":\"USD\",\"category\":\"coffee mugs\"}")
                .put("/api/supplier/products/MUG2-" + run)
                .then()
                .statusCode(200);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> given().get("/api/directory/suppliers/ceramics-" + run)
                                        .then()
                                        .extract()
                                        .path("returnPolicy")
                                != null
                        && "4.5"
                                .equals(String.valueOf(given().get("/api/directory/suppliers/ceramics-" + run)
                                        .then()
                                        .extract()
                                        .<Object>path("rating"))));
        given().get("/api/directory/suppliers/ceramics-" + run)
                .then()
                .statusCode(200)
                .body("supplierId", equalTo(a))
                .body("reliability", equalTo("0.900"))
                .body("website", equalTo("https://ceramics.example.com"))
                .body(
                        "returnPolicy.summary",
                        equalTo("Returns within 30 days of shipping; 15% restocking fee; return shipping"
                                + " paid by the retailer; the original shipping not refunded"))
                .body("categories.path", hasItem("Home & Garden > Kitchen & Dining > Tableware > Drinkware > Mugs"))
                .body("products", equalTo(2));

        // Search: by words, by category, by region, by rating; featured first.
        given().queryParam("q", run)
                .get("/api/directory/suppliers")
                .then()
                .statusCode(200)
                .body("items.supplierId", equalTo(List.of(a, b)));
        int mugs = given().get("/api/categories")
                .then()
                .extract()
                .path("find { it.path == 'Home & Garden > Kitchen & Dining > Tableware > Drinkware > Mugs' }.id");
        given().queryParam("q", run)
                .queryParam("categoryId", mugs)
                .get("/api/directory/suppliers")
                .then()
                .body("items.supplierId", equalTo(List.of(a)));
        given().queryParam("q", run)
                .queryParam("shipsFrom", "DE")
                .get("/api/directory/suppliers")
                .then()
                .body("items.supplierId", equalTo(List.of(a)));
        given().queryParam("q", run)
                .queryParam("minRating", "4")
                .get("/api/directory/suppliers")
                .then()
                .body("items.supplierId", equalTo(List.of(a)));
        given().auth()
                .oauth2(TestTokens.supplier(b))
                .contentType(ContentType.JSON)
                .body(Map.of("until", now.plusSeconds(86_400).toString()))
                .put("/api/directory/suppliers/" + b + "/featured")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("until", now.plusSeconds(86_400).toString()))
                .put("/api/directory/suppliers/" + b + "/featured")
                .then()
                .statusCode(200)
                .body("featured", equalTo(true));
        // settlement-service hears of it, for the featured listing fee.
        var featured = TopicProbe.await("SupplierFeatured", r -> b.equals(r.key()), Duration.ofSeconds(30));
        ContractCheck.assertValid("SupplierFeatured", featured.value());
        assertEquals(
                Instant.parse(now.plusSeconds(86_400).toString()),
                Instant.parse(TopicProbe.json(featured).get("featuredUntil").asText()));
        given().queryParam("q", run)
                .queryParam("limit", 1)
                .get("/api/directory/suppliers")
                .then()
                .body("items.supplierId", equalTo(List.of(b)))
                .body("nextCursor", org.hamcrest.Matchers.notNullValue());
        given().get("/api/directory/suppliers/no-such-supplier").then().statusCode(404);
        given().queryParam("cursor", "garbage")
                .get("/api/directory/suppliers")
                .then()
                .statusCode(400);
    }
}
