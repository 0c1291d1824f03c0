package io.dropship.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;

import io.dropship.catalog.rest.SupplierOnboardingIT;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The catalog under hostile input: products, listings and searches that are not what they claim. A 4xx each. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class AdversarialEdgeIT {

    @Test
    void productsWithImpossibleFieldsAreRefusedAndNotStored() {
        String token = TestTokens.supplier(SupplierOnboardingIT.activeSupplier());
        String base = "{\"title\":\"Mug\",\"wholesalePrice\":%s,\"shippingCost\":\"1.00\",\"currency\":\"USD\"%s}";
        for (String[] bad : new String[][] {
            {"\"1e400\"", ""},
            {"\"-1\"", ""},
            {"\"1.005\"", ""},
            {"\"cheap\"", ""},
            {"[1]", ""},
            {"\"1.00\"", ",\"images\":[\"javascript:alert(1)\"]"},
            {"\"1.00\"", ",\"status\":\"FREE\""},
            {"\"1.00\"", ",\"currency\":\"dollars\""}
        }) {
            given().auth()
                    .oauth2(token)
                    .contentType(ContentType.JSON)
                    .body(String.format(base, bad[0], bad[1]))
                    .put("/api/supplier/products/ADV-1")
                    .then()
                    .statusCode(400)
                    .contentType(startsWith("application/problem+json"));
        }
        given().auth().oauth2(token).get("/api/supplier/products/ADV-1").then().statusCode(404);
    }

    @Test
    void searchesAndListingsWithGarbageParametersAreRefusedNotFailed() {
        String retailer =
                TestTokens.retailer("ret-adv-" + UUID.randomUUID().toString().substring(0, 8));
        for (String cursor : new String[] {"garbage", "eyJ4IjoxfQ", "%00%01", "a".repeat(900)}) {
            given().auth()
                    .oauth2(retailer)
                    .queryParam("cursor", cursor)
                    .get("/api/catalog/products")
                    .then()
                    .statusCode(400);
        }
        given().auth()
                .oauth2(retailer)
                .queryParam("limit", 0)
                .get("/api/catalog/products")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(retailer)
                .queryParam("q", "x".repeat(201))
                .get("/api/catalog/products")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(retailer)
                .contentType(ContentType.JSON)
                .body("{\"title\":\"L\",\"offers\":[{\"supplierId\":\"" + "s".repeat(500) + "\",\"sku\":\"X\"}]}")
                .put("/api/listings/ADV-L")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(retailer)
                .contentType(ContentType.JSON)
                .body("{\"title\":\"L\",\"offers\":\"all\"}")
                .put("/api/listings/ADV-L")
                .then()
                .statusCode(400);
    }
}
