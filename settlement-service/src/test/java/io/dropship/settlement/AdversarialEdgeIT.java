package io.dropship.settlement;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;

import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Money endpoints under hostile input: wrong types, impossible amounts, oversized bodies. A 4xx each, never a 5xx. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class AdversarialEdgeIT {

    @Test
    void moneySettingsWithImpossibleValuesAreRefused() {
        String retailer = "ret-adv-" + UUID.randomUUID().toString().substring(0, 8);
        for (String body : new String[] {
            "{\"currency\":\"USD\",\"limit\":\"lots\"}",
            "{\"currency\":\"usd\",\"limit\":\"10\"}",
            "{\"currency\":\"USD\",\"limit\":\"1e400\"}",
            "{\"currency\":\"USD\",\"limit\":\"10.123\"}",
            "{\"currency\":\"USD\"}",
            "[]",
            "null"
        }) {
            given().auth()
                    .oauth2(TestTokens.admin())
                    .contentType(ContentType.JSON)
                    .body(body)
                    .put("/api/retailers/" + retailer + "/credit-terms")
                    .then()
                    .statusCode(400)
                    .contentType(startsWith("application/problem+json"));
        }
        for (String body : new String[] {
            "{\"fixedFee\":\"-1\",\"percent\":\"2\"}",
            "{\"fixedFee\":\"0.30\",\"percent\":\"101\"}",
            "{\"fixedFee\":\"x\",\"percent\":\"2\"}",
            "{\"fixedFee\":\"0.30\",\"percent\":\"2\",\"monthlyOrderLimit\":-5}"
        }) {
            given().auth()
                    .oauth2(TestTokens.admin())
                    .contentType(ContentType.JSON)
                    .body(body)
                    .put("/api/fee-rules/BASIC")
                    .then()
                    .statusCode(400);
        }
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"fixedFee\":\"0.30\",\"percent\":\"2\"}")
                .put("/api/fee-rules/PLATINUM")
                .then()
                .statusCode(404);
    }

    @Test
    void retailerAndSupplierInputsWithWrongTypesOrSizesAreRefused() {
        String retailer =
                TestTokens.retailer("ret-adv-" + UUID.randomUUID().toString().substring(0, 8));
        String supplier =
                TestTokens.supplier("sup-adv-" + UUID.randomUUID().toString().substring(0, 8));
        given().auth()
                .oauth2(retailer)
                .contentType(ContentType.JSON)
                .body("{\"supplierOrderId\":\"not-a-uuid\",\"reason\":\"x\"}")
                .post("/api/returns")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(retailer)
                .contentType(ContentType.JSON)
                .body("{\"supplierOrderId\":\"" + UUID.randomUUID() + "\",\"reason\":\"" + "r".repeat(301) + "\"}")
                .post("/api/returns")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(retailer)
                .contentType(ContentType.JSON)
                .body("{\"email\":\"not an email\",\"paymentMethodId\":\"pm_card_visa\"}")
                .put("/api/billing/payment-method")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(retailer)
                .contentType(ContentType.JSON)
                .body("{\"email\":\"a@example.com\",\"paymentMethodId\":\"card_123'; drop table payment; --\"}")
                .put("/api/billing/payment-method")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(retailer)
                .contentType(ContentType.JSON)
                .body("{\"businessName\":\"" + "B".repeat(5000) + "\"}")
                .put("/api/billing/branding")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(retailer)
                .contentType(ContentType.JSON)
                .body("{\"businessName\":\"Shop\",\"accentColor\":\"red; background:url(x)\"}")
                .put("/api/billing/branding")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(supplier)
                .contentType(ContentType.JSON)
                .body(
                        "{\"acceptsReturns\":true,\"windowDays\":100000,\"refundShipping\":true,\"restockingFeePercent\":\"10\"}")
                .put("/api/supplier/return-policy")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(supplier)
                .contentType(ContentType.JSON)
                .body(
                        "{\"acceptsReturns\":\"sometimes\",\"windowDays\":30,\"refundShipping\":true,\"restockingFeePercent\":\"10\"}")
                .put("/api/supplier/return-policy")
                .then()
                .statusCode(400);
        given().auth().oauth2(retailer).get("/api/invoices/not-a-uuid").then().statusCode(404);
        given().auth()
                .oauth2(retailer)
                .queryParam("cursor", "nope")
                .get("/api/billing/payments")
                .then()
                .statusCode(400)
                .body("type", org.hamcrest.Matchers.equalTo("urn:dropship:problem:cursor-not-valid"));
        given().auth()
                .oauth2(retailer)
                .queryParam("status", "PAID'--")
                .get("/api/billing/payments")
                .then()
                .statusCode(400);
        given().contentType(ContentType.JSON)
                .header("Stripe-Signature", "t=1,v1=00")
                .body("{\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}")
                .post("/webhooks/stripe")
                .then()
                .statusCode(413);
    }
}
