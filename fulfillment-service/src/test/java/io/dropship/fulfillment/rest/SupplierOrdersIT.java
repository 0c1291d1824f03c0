package io.dropship.fulfillment.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.SharedInfrastructure;
import io.dropship.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class SupplierOrdersIT {

    /** Puts a supplier order given to its supplier straight into this service's database, as its order intake does. */
    private static UUID givenSupplierOrder(String supplierId, String status) throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection c = SharedInfrastructure.get().postgres().connect("app");
                PreparedStatement s = c.prepareStatement(
                        "insert into supplier_order (id, order_id, order_number, supplier_id,"
                                + " status, currency, lines, shipping_address, received_at, updated_at, released_at)"
                                + " values (?, ?, 'DS-00000001', ?, ?, 'USD', cast(? as jsonb), cast(? as jsonb), now(), now(), now())")) {
            s.setObject(1, id);
            s.setObject(2, UUID.randomUUID());
            s.setString(3, supplierId);
            s.setString(4, status);
            s.setString(5, "[{\"lineId\":\"1\",\"sku\":\"MUG\",\"quantity\":2}]");
            s.setString(6, "{\"name\":\"Ada\",\"country\":\"GB\"}");
            s.executeUpdate();
        }
        return id;
    }

    @Test
    void aSupplierListsItsOwnOrdersByStatusAndNeverAnothersOrder() throws Exception {
        String mine = "sup-" + UUID.randomUUID();
        String theirs = "sup-" + UUID.randomUUID();
        UUID received = givenSupplierOrder(mine, "RECEIVED");
        givenSupplierOrder(mine, "SHIPPED");
        UUID other = givenSupplierOrder(theirs, "RECEIVED");

        given().auth()
                .oauth2(TestTokens.supplier(mine))
                .get("/api/supplier/orders")
                .then()
                .statusCode(200)
                .body("items", hasSize(2));
        given().auth()
                .oauth2(TestTokens.supplier(mine))
                .get("/api/supplier/orders?status=RECEIVED")
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].supplierOrderId", equalTo(received.toString()))
                .body("items[0].lines[0].sku", equalTo("MUG"));
        given().auth()
                .oauth2(TestTokens.supplier(mine))
                .get("/api/supplier/orders/" + other)
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestTokens.retailer("ret-1"))
                .get("/api/supplier/orders")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.supplier(mine))
                .get("/api/supplier/orders/not-a-uuid")
                .then()
                .statusCode(404);
    }

    @Test
    void theCallbackSecretIsShownOnceAndOnlyANewOneIsShownAgain() {
        String supplier = "sup-" + UUID.randomUUID();
        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .get("/api/supplier/callback")
                .then()
                .statusCode(404);

        String first = given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .contentType(ContentType.JSON)
                .body("{\"url\":\"https://supplier.example.com/orders\",\"enabled\":true}")
                .put("/api/supplier/callback")
                .then()
                .statusCode(200)
                .body("signingSecret", startsWith("whsec_"))
                .extract()
                .path("signingSecret");

        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .get("/api/supplier/callback")
                .then()
                .statusCode(200)
                .body("url", equalTo("https://supplier.example.com/orders"))
                .body("signingSecret", nullValue());
        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .contentType(ContentType.JSON)
                .body("{\"url\":\"https://supplier.example.com/v2/orders\",\"enabled\":false}")
                .put("/api/supplier/callback")
                .then()
                .statusCode(200)
                .body("enabled", equalTo(false))
                .body("signingSecret", nullValue());
        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .contentType(ContentType.JSON)
                .body("{\"url\":\"https://supplier.example.com/v2/orders\",\"enabled\":true,\"rotateSecret\":true}")
                .put("/api/supplier/callback")
                .then()
                .statusCode(200)
                .body("signingSecret", startsWith("whsec_"))
                .body("signingSecret", not(equalTo(first)));
    }

    @Test
    void anInsecureOrMissingCallbackUrlIsRefused() {
        String supplier = "sup-" + UUID.randomUUID();
        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .contentType(ContentType.JSON)
                .body("{\"url\":\"http://supplier.example.com/orders\",\"enabled\":true}")
                .put("/api/supplier/callback")
                .then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("detail", startsWith("the callback URL must use https"));
        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .contentType(ContentType.JSON)
                .body("{\"enabled\":true}")
                .put("/api/supplier/callback")
                .then()
                .statusCode(400);
    }
}
