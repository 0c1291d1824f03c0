package io.dropship.settlement.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import io.dropship.settlement.stripe.FakeStripeTestResource;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
@QuarkusTestResource(FakeStripeTestResource.class)
class FeeRuleResourceIT {

    @Test
    void everyPlanHasAFeeRule() {
        given().auth()
                .oauth2(TestTokens.support())
                .get("/api/fee-rules")
                .then()
                .statusCode(200)
                .body("items.plan", hasItems("BASIC", "PRO", "ENTERPRISE"));
    }

    @Test
    void anAdminChangesAPlansFeeAndQuotesFollowIt() {
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"fixedFee\":\"0.40\",\"percent\":\"2.5\",\"monthlyOrderLimit\":2000}")
                .put("/api/fee-rules/PRO")
                .then()
                .statusCode(200)
                .body("fixedFee", equalTo("0.40"))
                .body("updatedBy", equalTo("admin@dropship.test"));

        given().auth()
                .oauth2(TestTokens.retailer("ret-1"))
                .get("/api/fee-rules/PRO/quote?wholesale=12.40&shipping=3.50")
                .then()
                .statusCode(200)
                .body("platformFee", equalTo("0.80"))
                .body("supplierPayout", equalTo("15.90"))
                .body("retailerCharge", equalTo("16.70"));
    }

    @Test
    void theFixedFeeIsSetPerCurrencyAndAnOrderInACurrencyWithoutOnePaysThePercentageAlone() {
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"fixedFee\":\"0.00\",\"percent\":\"1.5\",\"fixedFees\":{\"EUR\":\"0.25\",\"KWD\":\"0.10\"}}")
                .put("/api/fee-rules/ENTERPRISE")
                .then()
                .statusCode(200)
                .body("fixedFees.USD", equalTo("0.00"))
                .body("fixedFees.EUR", equalTo("0.25"))
                .body("fixedFees.KWD", equalTo("0.10"));

        // 0.25 EUR + 1.5 % of 100.00 EUR.
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/fee-rules/ENTERPRISE/quote?wholesale=100&currency=EUR")
                .then()
                .statusCode(200)
                .body("platformFee", equalTo("1.75"));
        // No fixed fee set in GBP: 1.5 % of 100.00 GBP alone, never the dollar amount read as pounds.
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/fee-rules/ENTERPRISE/quote?wholesale=100&currency=GBP")
                .then()
                .statusCode(200)
                .body("platformFee", equalTo("1.50"));
        // Half a yen cannot be charged.
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"fixedFee\":\"0.00\",\"percent\":\"1.5\",\"fixedFees\":{\"JPY\":\"0.5\"}}")
                .put("/api/fee-rules/ENTERPRISE")
                .then()
                .statusCode(400)
                .body("detail", equalTo("fixedFees.JPY 0.5 cannot be charged in JPY (0 decimals)"));
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"fixedFee\":\"0.00\",\"percent\":\"1.5\",\"fixedFees\":{\"euro\":\"1\"}}")
                .put("/api/fee-rules/ENTERPRISE")
                .then()
                .statusCode(400);
    }

    @Test
    void onlyAdminsChangeFees() {
        given().auth()
                .oauth2(TestTokens.support())
                .contentType(ContentType.JSON)
                .body("{\"fixedFee\":\"0\",\"percent\":\"0\"}")
                .put("/api/fee-rules/BASIC")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.retailer("ret-1"))
                .get("/api/fee-rules")
                .then()
                .statusCode(403);
    }

    @Test
    void anImpossibleFeeOrUnknownPlanIsRefused() {
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"fixedFee\":\"-1\",\"percent\":\"150\"}")
                .put("/api/fee-rules/BASIC")
                .then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("errors.field", hasItems("fixedFee", "percent"));
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"fixedFee\":\"1\",\"percent\":\"1\"}")
                .put("/api/fee-rules/GOLD")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/fee-rules/BASIC/quote")
                .then()
                .statusCode(400);
    }
}
