package io.dropship.inventory;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A supplier's stock API under hostile input: wrong types, impossible numbers, oversized batches, SKUs that are not
 * SKUs. Each gets a clear 4xx (or, in a batch, the item rejected with its reason), never a 5xx, and nothing changes.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class AdversarialEdgeIT {

    private final String supplier = "sup-adv-" + UUID.randomUUID().toString().substring(0, 8);

    private RequestSpecification as() {
        return given().auth().oauth2(TestTokens.supplier(supplier)).contentType(ContentType.JSON);
    }

    @Test
    void oneQuantityThatIsNotAQuantityIsRefusedAndChangesNothing() {
        for (String body : new String[] {
            "{\"quantity\":\"many\"}",
            "{\"quantity\":-1}",
            "{\"quantity\":1e12}",
            "{\"quantity\":2147483648}",
            "{\"quantity\":3.5}",
            "{\"quantity\":null}",
            "[]",
            "null",
            "{\"quantity\":",
            "{\"quantity\":5,\"updatedAt\":\"yesterday\"}"
        }) {
            as().body(body)
                    .put("/api/supplier/stock/ADV-1")
                    .then()
                    .statusCode(400)
                    .contentType(startsWith("application/problem+json"));
        }
        as().get("/api/supplier/stock/ADV-1").then().statusCode(404);
        as().body("{\"quantity\":5}")
                .put("/api/supplier/stock/" + "S".repeat(5000))
                .then()
                .statusCode(org.hamcrest.Matchers.anyOf(equalTo(400), equalTo(404), equalTo(414), equalTo(431)));
    }

    @Test
    void aBatchRejectsItsBadItemsOneByOneAndRefusesToBeTooLarge() {
        as().body("{\"items\":[{\"sku\":\"ADV-2\",\"quantity\":4},{\"sku\":\"\",\"quantity\":1},{\"sku\":\"ADV-3\","
                        + "\"quantity\":-7},{\"sku\":\"ADV-4\"},{\"sku\":\"" + "X".repeat(300) + "\",\"quantity\":1}]}")
                .post("/api/supplier/stock")
                .then()
                .statusCode(200)
                .body("received", equalTo(5))
                .body("applied", equalTo(1))
                .body("rejected.size()", equalTo(4));
        StringBuilder many = new StringBuilder("{\"items\":[");
        for (int i = 0; i <= 10_000; i++) {
            many.append(i == 0 ? "" : ",").append("{\"sku\":\"M-").append(i).append("\",\"quantity\":1}");
        }
        as().body(many.append("]}").toString())
                .post("/api/supplier/stock")
                .then()
                .statusCode(400);
        as().body("{\"items\":[{\"sku\":\"ADV-5\",\"quantity\":\"ten\"}]}")
                .post("/api/supplier/stock")
                .then()
                .statusCode(400);
        as().body("{\"items\":{}}").post("/api/supplier/stock").then().statusCode(400);
        as().get("/api/supplier/stock/M-1").then().statusCode(404);
    }
}
