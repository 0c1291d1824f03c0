package io.dropship.gateway.accounts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dropship.gateway.webhook.WebhookCalls;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** An admin suspends a retailer: its sessions end, its calls and its stores' new orders are refused, with the reason. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
@QuarkusTestResource(MailTestResource.class)
class RetailerSuspensionIT {

    private final String email = "susp-" + UUID.randomUUID().toString().substring(0, 8) + "@shop.example";

    @Test
    void aSuspendedRetailerIsRefusedEverywhereWithTheReasonUntilItIsReinstated() throws Exception {
        JsonPath tokens = SignUps.retailer(email);
        String access = tokens.getString("accessToken");
        String retailerId = given().auth()
                .oauth2(access)
                .get("/api/auth/me")
                .then()
                .extract()
                .path("retailerId");
        String shop = "susp-" + UUID.randomUUID().toString().substring(0, 8) + ".myshopify.com";
        given().auth()
                .oauth2(access)
                .contentType(ContentType.JSON)
                .body("{\"platform\":\"SHOPIFY\",\"shopDomain\":\"" + shop + "\",\"webhookSecret\":\""
                        + WebhookCalls.SECRET + "\",\"apiToken\":\"shpat_x\"}")
                .post("/api/stores")
                .then()
                .statusCode(201);

        given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/retailers?status=ACTIVE&limit=200")
                .then()
                .statusCode(200)
                .body("items.retailerId", hasItem(retailerId));
        given().auth()
                .oauth2(TestTokens.support())
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"no\"}")
                .post("/api/retailers/" + retailerId + "/suspend")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"unpaid invoices\"}")
                .post("/api/retailers/" + retailerId + "/suspend")
                .then()
                .statusCode(200)
                .body("status", equalTo("SUSPENDED"))
                .body("statusReason", equalTo("unpaid invoices"));

        // Its access token still verifies, but the gateway refuses it; its session is over; it cannot sign in.
        given().auth()
                .oauth2(access)
                .get("/api/stores")
                .then()
                .statusCode(403)
                .body("detail", equalTo("the retailer is suspended: unpaid invoices"));
        SignUps.post("refresh", "{\"refreshToken\":\"" + tokens.getString("refreshToken") + "\"}")
                .statusCode(401);
        SignUps.signIn(email, SignUps.PASSWORD)
                .statusCode(403)
                .body("detail", startsWith("the account's retailer is suspended"));
        // Its store's new order is recorded and not taken in.
        String order = WebhookCalls.load("shopify-order.json")
                .put("id", Math.abs(UUID.randomUUID().getMostSignificantBits()))
                .toString();
        WebhookCalls.shopify(shop, "orders/paid", UUID.randomUUID().toString(), order)
                .statusCode(200)
                .body("outcome", equalTo("RETAILER_SUSPENDED"));
        try (java.sql.Connection c = io.dropship.testkit.SharedInfrastructure.get()
                        .postgres()
                        .connect("app");
                java.sql.PreparedStatement st =
                        c.prepareStatement("select count(*) from outbox_event where aggregatetype ="
                                + " 'OrderPlaced' and strpos(cast(payload as text), ?) > 0")) {
            st.setString(1, retailerId);
            try (java.sql.ResultSet rs = st.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getLong(1), "no OrderPlaced for a suspended retailer");
            }
        }

        given().auth()
                .oauth2(TestTokens.admin())
                .post("/api/retailers/" + retailerId + "/reinstate")
                .then()
                .statusCode(200)
                .body("status", equalTo("ACTIVE"));
        String again = SignUps.signIn(email, SignUps.PASSWORD)
                .statusCode(200)
                .extract()
                .path("accessToken");
        given().auth().oauth2(again).get("/api/stores").then().statusCode(200);
        given().auth()
                .oauth2(again)
                .get("/api/retailers/" + retailerId)
                .then()
                .statusCode(200)
                .body("accounts", equalTo(1));
        given().auth()
                .oauth2(again)
                .get("/api/retailers/ret-someone-else")
                .then()
                .statusCode(404);
    }
}
