package io.dropship.fulfillment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;

import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A supplier's order and callback API under hostile input: each gets a clear 4xx, never a 5xx, and nothing is stored. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class AdversarialEdgeIT {

    private final String supplier = "sup-adv-" + UUID.randomUUID().toString().substring(0, 8);

    private RequestSpecification as() {
        return given().auth().oauth2(TestTokens.supplier(supplier)).contentType(ContentType.JSON);
    }

    @Test
    void shipmentsAndRejectionsWithImpossibleFieldsAreRefused() {
        String id = UUID.randomUUID().toString();
        for (String body : new String[] {
            "{\"carrier\":\"UPS\",\"trackingNumber\":\"" + "1".repeat(101) + "\"}",
            "{\"carrier\":\"UPS\",\"trackingNumber\":\"1Z\",\"trackingUrl\":\"javascript:alert(1)\"}",
            "{\"carrier\":\"\",\"trackingNumber\":\"1Z\"}",
            "{\"carrier\":[\"UPS\"],\"trackingNumber\":\"1Z\"}",
            "[]",
            "null"
        }) {
            as().body(body)
                    .post("/api/supplier/orders/" + id + "/ship")
                    .then()
                    .statusCode(400)
                    .contentType(startsWith("application/problem+json"));
        }
        as().body("{\"reason\":\"" + "r".repeat(501) + "\"}")
                .post("/api/supplier/orders/" + id + "/reject")
                .then()
                .statusCode(400);
        as().body("{\"carrier\":\"UPS\",\"trackingNumber\":\"1Z\"}")
                .post("/api/supplier/orders/not-a-uuid/ship")
                .then()
                .statusCode(404);
    }

    @Test
    void aCallbackEndpointThatIsNotAUsableUrlIsRefusedAndNothingIsSaved() {
        for (String url : new String[] {
            "ftp://example.com/hook",
            "https://example.com/" + "a".repeat(600),
            "not a url",
            "https://",
            "https://user:password@example.com/hook"
        }) {
            as().body("{\"url\":\"" + url + "\",\"enabled\":true}")
                    .put("/api/supplier/callback")
                    .then()
                    .statusCode(400)
                    .contentType(startsWith("application/problem+json"));
        }
        as().body("{\"url\":12,\"enabled\":\"yes\"}")
                .put("/api/supplier/callback")
                .then()
                .statusCode(400);
        as().get("/api/supplier/callback").then().statusCode(404);
    }
}
