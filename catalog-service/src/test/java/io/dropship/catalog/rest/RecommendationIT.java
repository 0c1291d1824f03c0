package io.dropship.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.contracts.ContractCheck;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Recommendations on a seeded history: sales as SupplierOrderRouted brings them (a redelivery counts once, a reship
 * not at all), suppliers rated by SupplierScored, a retailer with a pricing rule and a listing; the ranking follows the
 * signals, every recommendation says why, and what the retailer lists or cannot price is left out.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class RecommendationIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static int category(String name, Integer parent) {
        return given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body(parent == null ? Map.of("name", name) : Map.of("name", name, "parentId", parent))
                .post("/api/categories")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static void product(String supplier, String sku, String wholesale, String msrp, int categoryId) {
        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .contentType(ContentType.JSON)
                .body("{\"title\":\"Item " + sku + "\",\"wholesalePrice\":\"" + wholesale
                        + "\",\"shippingCost\":\"2.00\"," + "\"currency\":\"USD\",\"categoryId\":" + categoryId
                        + (msrp == null ? "" : ",\"msrp\":\"" + msrp + "\"") + "}")
                .put("/api/supplier/products/" + sku)
                .then()
                .statusCode(200);
    }

    private static String sold(String supplier, String sku, int quantity, boolean reship) throws Exception {
        ObjectNode e = (ObjectNode) JSON.readTree(ContractCheck.example("SupplierOrderRouted"));
        String orderId = UUID.randomUUID().toString();
        e.put("orderId", orderId)
                .put("supplierOrderId", UUID.randomUUID().toString())
                .put("supplierId", supplier)
                .put("routedAt", Instant.now().toString())
                .put("noCharge", reship);
        ObjectNode line = (ObjectNode) e.get("lines").get(0);
        line.put("lineId", "l-" + sku)
                .put("sku", sku)
                .put("supplierProductId", supplier + ":" + sku)
                .put("quantity", quantity);
        ContractCheck.assertValid("SupplierOrderRouted", e.toString());
        String id = UUID.randomUUID().toString();
        TopicProbe.send(
                "SupplierOrderRouted", orderId, e.toString(), Map.of("id", id, "eventType", "SupplierOrderRouted"));
        return e.toString() + "|" + id + "|" + orderId;
    }

    private static void scored(String supplier, String reliability) {
        String json =
                "{\"supplierId\":\"" + supplier + "\",\"reliability\":\"" + reliability + "\",\"onTimeRate\":\"0.950\","
                        + "\"rejectionRate\":\"0.000\",\"caseRate\":\"0.000\",\"orders\":50,\"window\":\"PT720H\",\"scoredAt\":\""
                        + Instant.now() + "\"}";
        TopicProbe.send(
                "SupplierScored",
                supplier,
                json,
                Map.of("id", UUID.randomUUID().toString(), "eventType", "SupplierScored"));
    }

    @Test
    void theRankingFollowsSalesMarginFitAndReliabilityAndSaysWhy() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        int top = category("Recs " + run, null);
        int mugs = category("Mugs", top);
        int lamps = category("Lamps", top);
        String a = SupplierOnboardingIT.activeSupplier();
        String b = SupplierOnboardingIT.activeSupplier();
        String c = SupplierOnboardingIT.activeSupplier();
        product(a, "MUG-A", "8.00", null, mugs);
        product(a, "MUG-L", "8.00", null, mugs); // the retailer lists it already
        product(a, "MUG-NEW", "8.00", null, mugs); // never sold
        product(b, "MUG-B", "8.00", null, mugs);
        product(c, "LAMP-C", "8.00", null, lamps);
        product(c, "LAMP-X", "8.00", "9.00", lamps); // its MSRP caps the price under the landed cost: unpriceable
        scored(a, "0.950");
        scored(b, "0.600");

        String retailer = "ret-" + UUID.randomUUID();
        String token = TestTokens.retailer(retailer);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"method\":\"MARKUP_PERCENT\",\"amount\":50}")
                .put("/api/listings/pricing-rule")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("title", "Our mug", "offers", List.of(Map.of("supplierId", a, "sku", "MUG-L"))))
                .put("/api/listings/OUR-MUG-" + run)
                .then()
                .statusCode(200);

        String first = sold(a, "MUG-A", 30, false);
        sold(b, "MUG-B", 30, false);
        sold(c, "LAMP-C", 5, false);
        sold(a, "MUG-NEW", 40, true); // a reship at no charge is not a sale
        String[] again = first.split("\\|");
        TopicProbe.send(
                "SupplierOrderRouted", again[2], again[0], Map.of("id", again[1], "eventType", "SupplierOrderRouted"));
        TopicProbe.send(
                "SupplierOrderRouted",
                again[2],
                again[0],
                Map.of(
                        "id",
                        UUID.randomUUID().toString(),
                        "eventType",
                        "SupplierOrderRouted")); // the same order line again, under another event id
        // A routing without its lines, among the others: it goes to the dead-letter topic, the rest of its poll counts.
        String bad = "bad-" + UUID.randomUUID();
        TopicProbe.send(
                "SupplierOrderRouted",
                bad,
                "{\"orderId\": \"" + UUID.randomUUID() + "\", \"supplierId\": \"" + a + "\"}",
                Map.of("id", UUID.randomUUID().toString(), "eventType", "SupplierOrderRouted"));

        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonPath r = given().auth()
                    .oauth2(token)
                    .queryParam("categoryId", top)
                    .get("/api/listings/recommendations")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            return r.getList("sku").size() == 4
                    && Integer.valueOf(5).equals(r.get("find { it.sku == 'LAMP-C' }.unitsSold"))
                    && "4.8".equals(String.valueOf((Object) r.get("find { it.sku == 'MUG-A' }.supplierRating")))
                    && "3.0".equals(String.valueOf((Object) r.get("find { it.sku == 'MUG-B' }.supplierRating")));
        });
        TopicProbe.await(
                "SupplierOrderRouted.catalog-service.DLT", rec -> bad.equals(rec.key()), Duration.ofSeconds(30));
        JsonPath r = given().auth()
                .oauth2(token)
                .queryParam("categoryId", top)
                .get("/api/listings/recommendations")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(List.of("MUG-A", "MUG-B", "LAMP-C", "MUG-NEW"), r.getList("sku"), r.prettify());
        assertEquals(30, (int) r.get("find { it.sku == 'MUG-A' }.unitsSold"), "a redelivered sale counts once");
        assertEquals(0, (int) r.get("find { it.sku == 'MUG-NEW' }.unitsSold"), "a reship is not a sale");
        List<String> why = r.getList("find { it.sku == 'MUG-A' }.reasons");
        assertTrue(why.contains("Sold 30 units across the platform in the last 30 days"), why.toString());
        assertTrue(
                why.stream().anyMatch(w -> w.startsWith("At your pricing rule: 15.00 USD, a 33.33% margin")),
                why.toString());
        assertTrue(why.contains("You already sell in Recs " + run + " > Mugs"), why.toString());
        assertTrue(why.stream().anyMatch(w -> w.endsWith("is rated 4.8/5 (95% shipped on time)")), why.toString());
        List<String> lamp = r.getList("find { it.sku == 'LAMP-C' }.reasons");
        assertTrue(lamp.contains("Close to what you sell: Recs " + run), lamp.toString());

        // Within a sub-category only; a retailer with no listings sees every category as open.
        assertEquals(
                List.of("LAMP-C"),
                given().auth()
                        .oauth2(token)
                        .queryParam("categoryId", lamps)
                        .get("/api/listings/recommendations")
                        .then()
                        .extract()
                        .jsonPath()
                        .getList("sku"));
        List<String> fresh = given().auth()
                .oauth2(TestTokens.retailer("ret-" + UUID.randomUUID()))
                .queryParam("categoryId", top)
                .queryParam("limit", 5)
                .get("/api/listings/recommendations")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("find { it.sku == 'MUG-L' }.reasons");
        assertTrue(fresh.contains("You list nothing yet: every category is open to you"), fresh.toString());
        given().auth()
                .oauth2(TestTokens.supplier(a))
                .get("/api/listings/recommendations")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(token)
                .queryParam("limit", 0)
                .get("/api/listings/recommendations")
                .then()
                .statusCode(400);
    }
}
